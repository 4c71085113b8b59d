#pragma once
// Transaction: an RAII write transaction on a Database. begin() takes the write lock at once
// (BEGIN IMMEDIATE); the destructor rolls back unless commit() succeeded, so every early
// return on an error undoes the partial work. Transactions do not nest; use on the Database's
// thread and let it end before the Database does.

#include "inference/result.h"

namespace folio::storage {

class Database;

class Transaction {
public:
    static Result<Transaction> begin(Database& db);

    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    // Commits; on failure (e.g. a full disk) the transaction is rolled back by the destructor.
    Result<void> commit();

private:
    explicit Transaction(Database& db)
        : m_db(&db)
    {
    }

    Database* m_db = nullptr; // null once committed or moved from
};

} // namespace folio::storage
