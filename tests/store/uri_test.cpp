// Store URIs: the accepted forms, password redaction, and clean rejection of garbage.
#include "alphaloom/store/uri.h"

#include <gtest/gtest.h>

#include <random>

#include "alphaloom/common/error.h"
#include "alphaloom/store/sql_store.h"

namespace alphaloom::store {
namespace {

std::string Rejection(const std::string& text) {
  try {
    ParseStoreUri(text);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConfig) << text;
    return error.what();
  }
  ADD_FAILURE() << "accepted: " << text;
  return {};
}

TEST(StoreUri, SqliteForms) {
  EXPECT_EQ(ParseStoreUri("sqlite:///data/alpha.db").sqlite_path, "data/alpha.db");
  EXPECT_EQ(ParseStoreUri("sqlite:////tmp/alpha.db").sqlite_path, "/tmp/alpha.db");
  EXPECT_EQ(ParseStoreUri("sqlite:///:memory:").sqlite_path, ":memory:");
  const StoreUri bare = ParseStoreUri("runs/alpha.db");
  EXPECT_EQ(bare.backend, Backend::kSqlite);
  EXPECT_EQ(bare.sqlite_path, "runs/alpha.db");
  EXPECT_EQ(bare.display, "runs/alpha.db");
  EXPECT_EQ(ParseStoreUri("/abs/alpha.db").sqlite_path, "/abs/alpha.db");
}

TEST(StoreUri, PostgresFormsAndRedaction) {
  const StoreUri uri = ParseStoreUri("postgresql://ann:s3cr%40t@db.example.com:5433/research?sslmode=require");
  EXPECT_EQ(uri.backend, Backend::kPostgres);
  EXPECT_EQ(uri.connection, "postgresql://ann:s3cr%40t@db.example.com:5433/research?sslmode=require");
  EXPECT_EQ(uri.display, "postgresql://ann@db.example.com:5433/research?sslmode=require");
  EXPECT_EQ(ParseStoreUri("postgres://h/db").display, "postgres://h/db");
  EXPECT_EQ(ParseStoreUri("postgresql://u@[::1]:5432/db").backend, Backend::kPostgres);
  EXPECT_EQ(ParseStoreUri("postgresql://u@h1:5432,h2:5433/db").backend, Backend::kPostgres);
  EXPECT_EQ(RedactUri("postgresql://u@h/db?password=hunter2&sslmode=disable"),
            "postgresql://u@h/db?sslmode=disable");
  EXPECT_EQ(RedactUri("postgresql://u:pa/ss@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(RedactUri("sqlite:///x.db"), "sqlite:///x.db");
}

TEST(StoreUri, GarbageIsRejectedWithOneLine) {
  EXPECT_NE(Rejection("").find("empty"), std::string::npos);
  EXPECT_NE(Rejection("sqlite://").find("no host"), std::string::npos);
  EXPECT_NE(Rejection("sqlite:///").find("no database file name"), std::string::npos);
  EXPECT_NE(Rejection("sqlite://host/x.db").find("no host"), std::string::npos);
  EXPECT_NE(Rejection("sqlite:///x.db?mode=ro").find("no query"), std::string::npos);
  EXPECT_NE(Rejection("mysql://u@h/db").find("unsupported scheme 'mysql'"), std::string::npos);
  EXPECT_NE(Rejection("http://example.com").find("unsupported scheme"), std::string::npos);
  EXPECT_NE(Rejection("postgresql://").find("no host"), std::string::npos);
  EXPECT_NE(Rejection("postgresql:///db").find("no host"), std::string::npos);
  EXPECT_NE(Rejection("postgresql://u@h:port/db").find("port 'port'"), std::string::npos);
  EXPECT_NE(Rejection("postgresql://u@h:99999/db").find("1..65535"), std::string::npos);
  EXPECT_NE(Rejection("postgresql://u@h:/db").find("port ''"), std::string::npos);
  EXPECT_NE(Rejection("postgresql://:pw@h/db").find("empty user"), std::string::npos);
  EXPECT_NE(Rejection("postgresql://u@h/a/b").find("may not contain '/'"), std::string::npos);
  EXPECT_NE(Rejection("postgresql://u@[::1/db").find("IPv6"), std::string::npos);
  EXPECT_NE(Rejection("postgresql://u@h/db?sslmode").find("not key=value"), std::string::npos);
  EXPECT_NE(Rejection("data/x .db").find("space"), std::string::npos);
  EXPECT_NE(Rejection("data/x\n.db").find("control character"), std::string::npos);
  EXPECT_NE(Rejection("runs/").find("directory"), std::string::npos);
  const std::string secret = Rejection("postgresql://ann:hunter2@h:notaport/db?password=hunter2");
  EXPECT_EQ(secret.find("hunter2"), std::string::npos) << secret;
  EXPECT_NE(secret.find("postgresql://ann@h:notaport/db"), std::string::npos) << secret;
}

// Random bytes after each scheme: the parser accepts or throws Error(kConfig) with one line and
// never repeats the password.
TEST(StoreUri, RandomGarbageNeverCrashesOrLeaks) {
  std::mt19937 random(20261122);
  const std::string alphabet = "abc:/@?&=[],.%-_ \t\n\x01\xff" "0123456789";
  const std::vector<std::string> prefixes = {"", "sqlite://", "sqlite:///", "postgresql://", "postgres://ann:PW9x@",
                                             "postgresql://ann:PW9x@"};
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text = prefixes[random() % prefixes.size()];
    const size_t length = random() % 24;
    for (size_t i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    try {
      const StoreUri uri = ParseStoreUri(text);
      EXPECT_EQ(uri.display.find("PW9x"), std::string::npos) << text;
    } catch (const Error& error) {
      const std::string message = error.what();
      EXPECT_EQ(error.kind(), ErrorKind::kConfig) << text;
      EXPECT_EQ(message.find('\n'), std::string::npos) << text;
      EXPECT_EQ(message.find("PW9x"), std::string::npos) << text << " -> " << message;
    }
  }
}

TEST(StoreOpen, UnreachablePostgresIsOneLineWithoutThePassword) {
  try {
    OpenStore("postgresql://alphaloom:hunter2@127.0.0.1:1/research");
    ADD_FAILURE() << "connected to port 1";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::kExternal);
    EXPECT_EQ(message.rfind("postgresql://alphaloom@127.0.0.1:1/research: cannot reach the PostgreSQL server", 0), 0u)
        << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(StoreOpen, BadUriFailsBeforeConnecting) {
  EXPECT_THROW(OpenStore("postgresql://u@h:0/db"), Error);
  EXPECT_THROW(OpenStore("oracle://scott:tiger@h/db"), Error);
}

}  // namespace
}  // namespace alphaloom::store
