# Every third-party component AlphaLoom links, found in one place. scripts/setup.sh installs
# them: Debian packages for most, the pinned pyarrow wheel (Arrow C++) and LightGBM under .deps.
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Eigen3 REQUIRED NO_MODULE)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)

function(alphaloom_imported_lib target header_dir lib_path)
  if(NOT EXISTS "${lib_path}")
    message(FATAL_ERROR "${target}: ${lib_path} not found; run scripts/setup.sh first")
  endif()
  add_library(${target} SHARED IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES IMPORTED_LOCATION "${lib_path}"
    INTERFACE_INCLUDE_DIRECTORIES "${header_dir}")
endfunction()

# Arrow / Parquet from the pyarrow wheel (headers in include/, libraries beside the package).
# The wheel's headers are treated as system headers so our warning flags do not apply to them.
set(_arrow "${ALPHALOOM_DEPS_DIR}/arrow")
alphaloom_imported_lib(alphaloom_dep_arrow "${_arrow}/include" "${_arrow}/lib/libarrow.so")
alphaloom_imported_lib(alphaloom_dep_parquet "${_arrow}/include" "${_arrow}/lib/libparquet.so")
set_target_properties(alphaloom_dep_arrow alphaloom_dep_parquet PROPERTIES
  INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_arrow}/include")
target_link_libraries(alphaloom_dep_parquet INTERFACE alphaloom_dep_arrow)
add_library(alphaloom::arrow ALIAS alphaloom_dep_arrow)
add_library(alphaloom::parquet ALIAS alphaloom_dep_parquet)

# LightGBM C API (pinned wheel library, headers from the same version's sdist).
set(_lgb "${ALPHALOOM_DEPS_DIR}/lightgbm")
alphaloom_imported_lib(alphaloom_dep_lightgbm "${_lgb}/include" "${_lgb}/lib/lib_lightgbm.so")
set_target_properties(alphaloom_dep_lightgbm PROPERTIES INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_lgb}/include")
add_library(alphaloom::lightgbm ALIAS alphaloom_dep_lightgbm)

# XGBoost C API (Debian libxgboost-dev).
find_path(XGBOOST_INCLUDE_DIR xgboost/c_api.h REQUIRED)
find_library(XGBOOST_LIBRARY xgboost REQUIRED)
alphaloom_imported_lib(alphaloom_dep_xgboost "${XGBOOST_INCLUDE_DIR}" "${XGBOOST_LIBRARY}")
add_library(alphaloom::xgboost ALIAS alphaloom_dep_xgboost)

if(ALPHALOOM_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(ALPHALOOM_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
