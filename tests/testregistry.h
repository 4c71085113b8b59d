#pragma once
// Lets each tst_<unit>.cpp of a layer register its Qt Test class, so one executable per layer
// runs them all. Usage, at the end of a test file:
//   FOLIO_TEST_CLASS(TstTokenizer)
//   #include "tst_tokenizer.moc"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace folio::test {

using Factory = std::function<std::unique_ptr<QObject>()>;

std::vector<std::pair<QString, Factory>>& registry();

struct Registrar {
    Registrar(const char* name, Factory factory) { registry().emplace_back(QString::fromLatin1(name), std::move(factory)); }
};

// Paths the tests read from.
QString sharedDir();   // ../shared beside the checkout (fixtures)
QString sourceDir();   // the checkout
QString binaryDir();   // the build tree

} // namespace folio::test

#define FOLIO_TEST_CLASS(Class) \
    static const folio::test::Registrar folio_test_registrar_##Class(#Class, [] { return std::make_unique<Class>(); });
