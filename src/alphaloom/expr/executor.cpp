#include "alphaloom/expr/executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "alphaloom/common/error.h"

namespace alphaloom::expr {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Where each output row of the frame sits: row_of[instrument * dates + date] or -1.
struct RowIndex {
  std::vector<int64_t> row_of;
  size_t dates = 0;
  int64_t At(size_t instrument, size_t date) const { return row_of[instrument * dates + date]; }
};

class Evaluator {
 public:
  Evaluator(const Program& program, const data::Panel& panel, std::span<const RowSpan> spans, ThreadPool& pool,
            OutputRange range)
      : program_(program), panel_(panel), spans_(spans), pool_(pool) {
    Check(spans.size() == panel.instrument_count(), "one span per instrument");
    range_.begin = std::min(range.begin, panel.date_count());
    range_.end = std::min(range.end, panel.date_count());
    const auto& nodes = program.nodes();
    field_index_.assign(nodes.size(), 0);
    for (size_t index = 0; index < nodes.size(); ++index) {
      if (nodes[index].kind == DagNode::Kind::kField) field_index_[index] = panel.FieldIndex(nodes[index].field);
    }
    output_columns_.resize(nodes.size());
    for (size_t column = 0; column < program.outputs().size(); ++column) {
      output_columns_[program.outputs()[column]].push_back(column);
    }
    // A node is kept panel-wide when a later stage or a cross-sectional node reads it.
    materialized_.assign(nodes.size(), false);
    for (const DagNode& node : nodes) {
      for (size_t input : node.inputs) {
        const DagNode& source = nodes[input];
        if (source.kind != DagNode::Kind::kOperator) continue;
        if (node.op->kind == OperatorKind::kCrossSectional || source.stage < node.stage) materialized_[input] = true;
      }
    }
    for (size_t index = 0; index < nodes.size(); ++index) {
      if (nodes[index].kind == DagNode::Kind::kOperator && nodes[index].op->kind == OperatorKind::kCrossSectional) {
        materialized_[index] = true;
      }
    }
    // The output columns each stage's per-instrument work writes, and where each sits in the
    // instrument's local block (RunInstrument).
    size_t max_stage = 0;
    for (const DagNode& node : nodes) max_stage = std::max(max_stage, node.stage);
    stage_columns_.resize(max_stage + 1);
    block_position_.assign(program.outputs().size(), 0);
    for (size_t column = 0; column < program.outputs().size(); ++column) {
      const DagNode& node = nodes[program.outputs()[column]];
      // Cross-sectional nodes write the frame themselves; constants are never written (NaN).
      if (node.kind == DagNode::Kind::kConstant) continue;
      if (node.kind == DagNode::Kind::kOperator && node.op->kind == OperatorKind::kCrossSectional) continue;
      // Fields are written with stage 0's work.
      const size_t stage = node.kind == DagNode::Kind::kField ? 0 : node.stage;
      block_position_[column] = stage_columns_[stage].size();
      stage_columns_[stage].push_back(column);
    }
    buffers_.resize(nodes.size());
    for (size_t index = 0; index < nodes.size(); ++index) {
      if (materialized_[index]) buffers_[index].assign(panel.instrument_count() * panel.date_count(), kNaN);
    }
  }

  FeatureFrame Run() {
    BuildFrame();
    size_t max_stage = 0;
    for (const DagNode& node : program_.nodes()) max_stage = std::max(max_stage, node.stage);
    for (size_t stage = 0; stage <= max_stage; ++stage) {
      for (size_t index = 0; index < program_.nodes().size(); ++index) {
        const DagNode& node = program_.nodes()[index];
        if (node.stage == stage && node.kind == DagNode::Kind::kOperator &&
            node.op->kind == OperatorKind::kCrossSectional) {
          RunCrossSectional(index);
        }
      }
      pool_.ParallelFor(panel_.instrument_count(), [&](size_t instrument) { RunInstrument(instrument, stage); });
    }
    return std::move(frame_);
  }

 private:
  void BuildFrame() {
    const size_t dates = panel_.date_count();
    const size_t instruments = panel_.instrument_count();
    rows_.dates = dates;
    rows_.row_of.assign(instruments * dates, -1);
    std::vector<Date> row_dates;
    std::vector<uint32_t> row_instruments;
    for (size_t date = range_.begin; date < range_.end; ++date) {
      for (size_t instrument = 0; instrument < instruments; ++instrument) {
        const RowSpan& span = spans_[instrument];
        if (span.empty || date < span.first || date > span.last) continue;
        rows_.row_of[instrument * dates + date] = static_cast<int64_t>(row_dates.size());
        row_dates.push_back(panel_.calendar()[date]);
        row_instruments.push_back(static_cast<uint32_t>(instrument));
      }
    }
    frame_ = FeatureFrame(program_.names(), panel_.instruments(), std::move(row_dates), std::move(row_instruments));
  }

  // Copies the instrument's output values into its local block, one contiguous run per column.
  void WriteOutputs(size_t node, std::span<const double> values, std::span<float> block) {
    const size_t count = values.size();
    for (size_t column : output_columns_[node]) {
      float* target = block.data() + block_position_[column] * count;
      for (size_t offset = 0; offset < count; ++offset) target[offset] = static_cast<float>(values[offset]);
    }
  }

  // Moves the local block of the instrument's `stage` columns into the frame. The frame is
  // row-major over (date, instrument) rows, so one instrument's consecutive dates lie a whole
  // cross-section apart; going through the block tile by tile writes each frame row's columns
  // together instead of taking a cache miss per value.
  void StoreBlock(size_t instrument, size_t first_date, size_t count, size_t stage, std::span<const float> block) {
    const std::vector<size_t>& columns = stage_columns_[stage];
    if (columns.empty()) return;
    constexpr size_t kTile = 32;
    int64_t rows[kTile];
    for (size_t tile = 0; tile < count; tile += kTile) {
      const size_t length = std::min(kTile, count - tile);
      for (size_t k = 0; k < length; ++k) rows[k] = rows_.At(instrument, first_date + tile + k);
      for (size_t position = 0; position < columns.size(); ++position) {
        const float* source = block.data() + position * count + tile;
        const size_t column = columns[position];
        for (size_t k = 0; k < length; ++k) {
          if (rows[k] >= 0) frame_.At(static_cast<size_t>(rows[k]), column) = source[k];
        }
      }
    }
  }

  // One instrument's nodes of `stage`, over the rows the instrument exists on.
  void RunInstrument(size_t instrument, size_t stage) {
    const RowSpan& span = spans_[instrument];
    if (span.empty) return;
    const size_t first = span.first;
    const size_t count = span.last - span.first + 1;
    const size_t dates = panel_.date_count();
    const auto& nodes = program_.nodes();

    thread_local std::vector<double> scratch;
    thread_local std::vector<float> block_storage;
    thread_local std::vector<size_t> slot;
    slot.assign(nodes.size(), static_cast<size_t>(-1));
    size_t slots = 0;
    for (size_t index = 0; index < nodes.size(); ++index) {
      const DagNode& node = nodes[index];
      const bool runs_here = node.kind == DagNode::Kind::kConstant ||
                             (node.kind == DagNode::Kind::kOperator && node.stage == stage &&
                              node.op->kind != OperatorKind::kCrossSectional);
      if (runs_here) slot[index] = slots++;
    }
    if (scratch.size() < slots * count) scratch.resize(slots * count);
    const size_t block_size = stage_columns_[stage].size() * count;
    if (block_storage.size() < block_size) block_storage.resize(block_size);
    const std::span<float> block(block_storage.data(), block_size);
    auto local = [&](size_t index) { return std::span<double>(scratch).subspan(slot[index] * count, count); };
    auto input = [&](size_t index) -> std::span<const double> {
      const DagNode& node = nodes[index];
      if (node.kind == DagNode::Kind::kField) return panel_.Series(field_index_[index], instrument).subspan(first, count);
      if (slot[index] != static_cast<size_t>(-1)) return local(index);
      return std::span<const double>(buffers_[index]).subspan(instrument * dates + first, count);
    };

    OperatorCall call;
    for (size_t index = 0; index < nodes.size(); ++index) {
      const DagNode& node = nodes[index];
      if (slot[index] == static_cast<size_t>(-1)) {
        if (stage == 0 && node.kind == DagNode::Kind::kField && !output_columns_[index].empty()) {
          WriteOutputs(index, input(index), block);
        }
        continue;
      }
      const std::span<double> out = local(index);
      if (node.kind == DagNode::Kind::kConstant) {
        std::fill(out.begin(), out.end(), node.constant);
        continue;
      }
      call.inputs.clear();
      for (size_t source : node.inputs) call.inputs.push_back(input(source));
      call.params = node.params;
      node.op->evaluate(call, out);
      if (node.float32) {
        for (double& value : out) value = static_cast<double>(static_cast<float>(value));
      }
      if (materialized_[index]) {
        std::copy(out.begin(), out.end(), buffers_[index].begin() + static_cast<std::ptrdiff_t>(instrument * dates + first));
      }
      if (!output_columns_[index].empty()) WriteOutputs(index, out, block);
    }
    StoreBlock(instrument, first, count, stage, block);
  }

  // A cross-sectional node, date by date over the instruments that exist on the date.
  void RunCrossSectional(size_t index) {
    const DagNode& node = program_.nodes()[index];
    const size_t dates = panel_.date_count();
    const size_t instruments = panel_.instrument_count();
    const size_t source = node.inputs[0];
    const DagNode& source_node = program_.nodes()[source];
    pool_.ParallelFor(dates, [&](size_t date) {
      std::vector<double> values(instruments, kNaN);
      std::vector<double> out(instruments, kNaN);
      for (size_t instrument = 0; instrument < instruments; ++instrument) {
        const RowSpan& span = spans_[instrument];
        if (span.empty || date < span.first || date > span.last) continue;
        values[instrument] = source_node.kind == DagNode::Kind::kField
                                 ? panel_.At(field_index_[source], instrument, date)
                                 : buffers_[source][instrument * dates + date];
      }
      OperatorCall call;
      call.inputs = {values};
      node.op->evaluate(call, out);
      for (size_t instrument = 0; instrument < instruments; ++instrument) {
        const RowSpan& span = spans_[instrument];
        if (span.empty || date < span.first || date > span.last) continue;
        buffers_[index][instrument * dates + date] = out[instrument];
        for (size_t column : output_columns_[index]) {
          const int64_t row = rows_.At(instrument, date);
          if (row >= 0) frame_.At(static_cast<size_t>(row), column) = static_cast<float>(out[instrument]);
        }
      }
    });
  }

  const Program& program_;
  const data::Panel& panel_;
  std::span<const RowSpan> spans_;
  ThreadPool& pool_;
  OutputRange range_;
  std::vector<size_t> field_index_;
  std::vector<std::vector<size_t>> output_columns_;
  std::vector<std::vector<size_t>> stage_columns_;  // per stage: output columns of per-instrument nodes
  std::vector<size_t> block_position_;              // per column: its place in its stage's block
  std::vector<bool> materialized_;
  std::vector<std::vector<double>> buffers_;
  RowIndex rows_;
  FeatureFrame frame_;
};

}  // namespace

std::vector<RowSpan> SpansFromPanel(const data::Panel& panel) {
  std::vector<RowSpan> spans(panel.instrument_count());
  for (size_t instrument = 0; instrument < panel.instrument_count(); ++instrument) {
    RowSpan& span = spans[instrument];
    for (size_t field = 0; field < panel.fields().size(); ++field) {
      if (data::IsBenchmarkField(panel.fields()[field])) continue;
      const auto series = panel.Series(field, instrument);
      for (size_t date = 0; date < series.size(); ++date) {
        if (std::isnan(series[date])) continue;
        if (span.empty || date < span.first) span.first = date;
        if (span.empty || date > span.last) span.last = date;
        span.empty = false;
      }
    }
  }
  return spans;
}

FeatureFrame Evaluate(const Program& program, const data::Panel& panel, std::span<const RowSpan> spans,
                      ThreadPool& pool, OutputRange range) {
  return Evaluator(program, panel, spans, pool, range).Run();
}

}  // namespace alphaloom::expr
