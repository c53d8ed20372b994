// The statement cache hands out leases: a statement is compiled once per connection, comes back reset with its
// bindings cleared when the lease ends, and a second lease on a statement still in use gets its own.
#include "store/statement_cache.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace temoin::store {
namespace {

using testing::MemoryDatabase;

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = MemoryDatabase();
    db_->sql().exec("CREATE TEMP TABLE numbers (n INTEGER, word TEXT); "
                    "INSERT INTO numbers VALUES (1, 'one'), (2, 'two'), (3, NULL)");
  }
  std::unique_ptr<Database> db_;
};

TEST_F(StatementCacheTest, ALeaseEndsResetAndUnbound) {
  const char* sql = "SELECT COUNT(*) FROM numbers WHERE n >= ?";
  {
    auto q = db_->Prepare(sql);
    q.bind(1, 2);
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt(), 2);
  }
  auto again = db_->Prepare(sql);
  ASSERT_TRUE(again.executeStep()) << "the statement starts again from the first row";
  EXPECT_EQ(again.getColumn(0).getInt(), 0) << "the old binding is gone: n >= NULL holds for no row";
}

TEST_F(StatementCacheTest, ARawLeaseReadsRowsAndEndsResetAndUnbound) {
  const char* sql = "SELECT n, word FROM numbers WHERE n >= :from ORDER BY n";
  std::size_t compiled = 0;
  {
    auto q = db_->PrepareRaw(sql);
    q.Bind(":from", std::int64_t{2});
    ASSERT_TRUE(q.Step());
    EXPECT_EQ(q.Int(0), 2);
    EXPECT_EQ(q.Text(1), "two");
    ASSERT_TRUE(q.Step());
    EXPECT_TRUE(q.IsNull(1));
    EXPECT_EQ(q.Text(1), "");
    EXPECT_FALSE(q.Step());
    compiled = db_->statements_cached();
  }
  auto again = db_->PrepareRaw(sql);
  EXPECT_EQ(db_->statements_cached(), compiled) << "compiled once per connection";
  EXPECT_FALSE(again.Step()) << "the old binding is gone: n >= NULL holds for no row";
  EXPECT_THROW(again.Bind(":nope", std::int64_t{1}), SQLite::Exception);
}

TEST_F(StatementCacheTest, ASecondLeaseWhileTheFirstIsReadingGetsItsOwnStatement) {
  const char* sql = "SELECT n FROM numbers WHERE n >= :from ORDER BY n";
  auto outer = db_->PrepareRaw(sql);
  outer.Bind(":from", std::int64_t{1});
  ASSERT_TRUE(outer.Step());
  {
    auto inner = db_->PrepareRaw(sql);
    inner.Bind(":from", std::int64_t{3});
    ASSERT_TRUE(inner.Step());
    EXPECT_EQ(inner.Int(0), 3);
  }
  ASSERT_TRUE(outer.Step()) << "the outer lease kept its place";
  EXPECT_EQ(outer.Int(0), 2);

  auto first = db_->Prepare("SELECT n FROM numbers ORDER BY n");
  ASSERT_TRUE(first.executeStep());
  auto second = db_->Prepare("SELECT n FROM numbers ORDER BY n");
  ASSERT_TRUE(second.executeStep());
  ASSERT_TRUE(first.executeStep());
  EXPECT_EQ(first.getColumn(0).getInt(), 2);
  EXPECT_EQ(second.getColumn(0).getInt(), 1);
}

TEST_F(StatementCacheTest, SqlThatDoesNotCompileThrows) {
  EXPECT_THROW(db_->PrepareRaw("SELECT FROM nowhere"), SQLite::Exception);
  EXPECT_THROW(db_->Prepare("SELECT FROM nowhere"), SQLite::Exception);
}

// Long texts are hashed by their length and a sample of their bytes: two that differ only outside the sample
// share a hash, and each must still get its own statement.
TEST_F(StatementCacheTest, TextsAlikeWhereHashedKeepTheirOwnStatements) {
  const std::string padding = " /*" + std::string(100, 'x') + "*/";
  const std::string one = "SELECT 0 + 0 + 0 + 1" + padding;  // the texts differ at byte 19 only
  const std::string two = "SELECT 0 + 0 + 0 + 2" + padding;
  for (int round = 0; round < 2; ++round) {  // compiled, then found in the cache
    auto a = db_->Prepare(one);
    ASSERT_TRUE(a.executeStep());
    EXPECT_EQ(a.getColumn(0).getInt(), 1);
    auto b = db_->Prepare(two);
    ASSERT_TRUE(b.executeStep());
    EXPECT_EQ(b.getColumn(0).getInt(), 2);
  }
}

}  // namespace
}  // namespace temoin::store
