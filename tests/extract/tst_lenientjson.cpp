// parseLenientJson: what Qwen2.5-VL really writes (spec §9), truncation, and a fuzz run.
#include "testregistry.h"

#include "extract/lenientjson.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QRandomGenerator>
#include <QTest>

using folio::extract::JsonRepair;
using folio::extract::JsonRepairs;
using folio::extract::parseLenientJson;

namespace {

// Expected values are written as strict JSON and read with Qt's own (strict) parser.
QJsonValue strict(const char* json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad expected JSON in test: %s", qPrintable(error.errorString()));
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

QString show(const QJsonValue& v)
{
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    return QStringLiteral("<not a container>");
}

// The cookbook's text-spotting output shape, including its trailing commas.
const char* kSpotting = "```json\n"
                        "[\n"
                        "\t{\"bbox_2d\": [91, 74, 330, 98], \"text_content\": \"RECHNUNG\",},\n"
                        "\t{\"bbox_2d\": [91, 110, 470, 131], \"text_content\": \"ACME GmbH · Hauptstraße 5\",},\n"
                        "\t{\"bbox_2d\": [612, 110, 860, 131], \"text_content\": \"Rechnungsnr. 2026-0042\",},\n"
                        "\t{\"bbox_2d\": [612, 140, 822, 161], \"text_content\": \"Datum: 15.03.2026\",},\n"
                        "\t{\"bbox_2d\": [91, 300, 230, 321], \"text_content\": \"发票号码 12345\",},\n"
                        "\t{\"bbox_2d\": [640, 880, 860, 905], \"text_content\": \"Gesamt: 1.234,56 €\",}\n"
                        "]\n"
                        "```";

const char* kSpottingStrict = R"([
 {"bbox_2d":[91,74,330,98],"text_content":"RECHNUNG"},
 {"bbox_2d":[91,110,470,131],"text_content":"ACME GmbH · Hauptstraße 5"},
 {"bbox_2d":[612,110,860,131],"text_content":"Rechnungsnr. 2026-0042"},
 {"bbox_2d":[612,140,822,161],"text_content":"Datum: 15.03.2026"},
 {"bbox_2d":[91,300,230,321],"text_content":"发票号码 12345"},
 {"bbox_2d":[640,880,860,905],"text_content":"Gesamt: 1.234,56 €"}])";

} // namespace

class TstLenientJson : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parses_data();
    void parses();
    void rejects_data();
    void rejects();
    void everyPrefixKeepsCompleteElements();
    void fuzzNeverCrashesOrHangs();
    void adversarialInputsAreFast_data();
    void adversarialInputsAreFast();
};

void TstLenientJson::parses_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // strict JSON
    QTest::addColumn<bool>("truncated");
    QTest::addColumn<int>("repairs");      // these repairs must be reported
    QTest::addColumn<bool>("onlyThese");   // and no others

    const auto row = [](const char* name, const QString& in, const char* out, bool truncated, JsonRepairs repairs,
                         bool only = true) {
        QTest::newRow(name) << in << QString::fromUtf8(out) << truncated << int(repairs.toInt()) << only;
    };
    using R = JsonRepair;

    row("strict object", QStringLiteral(R"({"a": 1, "b": [true, false, null], "c": "x"})"),
        R"({"a":1,"b":[true,false,null],"c":"x"})", false, {});
    row("spotting cookbook", QString::fromUtf8(kSpotting), kSpottingStrict, false, R::Fence | R::TrailingComma);
    row("key-value cookbook",
        QString::fromUtf8("```json\n{\"company\": \"ACME GmbH\", \"date\": \"15.03.2026\", \"address\": \"Hauptstraße 5, "
                          "10115 Berlin\", \"total\": \"1.234,56\"}\n```"),
        R"({"company":"ACME GmbH","date":"15.03.2026","address":"Hauptstraße 5, 10115 Berlin","total":"1.234,56"})",
        false, R::Fence);
    row("detection with prose",
        QStringLiteral("Here are the coordinates:\n```json\n[\n  {\"bbox_2d\": [135, 114, 1016, 672], \"label\": "
                       "\"table\"}\n]\n```\nThere is 1 item in the image."),
        R"([{"bbox_2d":[135,114,1016,672],"label":"table"}])", false, R::Fence | R::Prose);
    row("unlabelled fence", QStringLiteral("```\n{\"total\": \"99.00\"}\n```"), R"({"total":"99.00"})", false, R::Fence);
    row("JSON label upper case", QStringLiteral("```JSON\n[1, 2]\n```"), "[1,2]", false, R::Fence);
    row("python block first", QStringLiteral("```python\nprint('hi')\n```\n```json\n{\"a\": 1}\n```"), R"({"a":1})",
        false, R::Fence | R::Prose);
    row("two JSON blocks: first wins", QStringLiteral("```json\n{\"a\": 1}\n```\nor\n```json\n{\"a\": 2}\n```"),
        R"({"a":1})", false, R::Fence | R::Prose);
    row("json on the fence line", QStringLiteral("```json[{\"a\": 1}]```"), R"([{"a":1}])", false, R::Fence);
    row("bare with prose", QStringLiteral("The extracted fields are {\"total\": \"99.00\"} as requested."),
        R"({"total":"99.00"})", false, R::Prose);
    row("bracket in prose skipped", QStringLiteral("Result [sic]: {\"a\": 1}"), R"({"a":1})", false, R::Prose);
    row("trailing commas", QStringLiteral("{\"a\": [1, 2,], \"b\": {\"c\": 3,},}"), R"({"a":[1,2],"b":{"c":3}})", false,
        R::TrailingComma);
    row("extra comma", QStringLiteral("[1,, 2]"), "[1,2]", false, R::ExtraComma);
    row("single quotes (Python repr)", QStringLiteral("{'company': 'ACME', 'total': '12.00'}"),
        R"({"company":"ACME","total":"12.00"})", false, R::SingleQuotes);
    row("apostrophe in single-quoted string", QStringLiteral("{'name': 'Bob's Diner'}"), R"({"name":"Bob's Diner"})",
        false, R::SingleQuotes | R::UnescapedQuotes);
    row("unquoted keys", QStringLiteral("{company: \"ACME\", total_due: 12.5}"), R"({"company":"ACME","total_due":12.5})",
        false, R::UnquotedKeys);
    row("python literals", QStringLiteral("{\"paid\": True, \"note\": None, \"draft\": False}"),
        R"({"paid":true,"note":null,"draft":false})", false, R::PythonLiterals);
    row("comments", QStringLiteral("{\n  // the seller\n  \"seller\": \"ACME\", /* net */ \"net\": \"10.00\"\n}"),
        R"({"seller":"ACME","net":"10.00"})", false, R::Comments);
    row("raw newline in string", QStringLiteral("[{\"text_content\": \"Hauptstraße 5\n10115 Berlin\"}]"),
        R"([{"text_content":"Hauptstraße 5\n10115 Berlin"}])", false, R::RawNewlines);
    row("smart quotes", QString::fromUtf8("{“company”: “ACME”, “total”: “12.00”}"),
        R"({"company":"ACME","total":"12.00"})", false, R::SmartQuotes);
    row("German low-high quotes", QString::fromUtf8("{„name“: „Müller“}"), R"({"name":"Müller"})", false,
        R::SmartQuotes);
    row("unescaped inner quotes", QStringLiteral("{\"text_content\": \"Rechnung \"Nr. 5\" vom 1.3.\"}"),
        R"({"text_content":"Rechnung \"Nr. 5\" vom 1.3."})", false, R::UnescapedQuotes);
    row("missing comma between lines", QStringLiteral("[\n{\"a\": 1}\n{\"a\": 2}\n]"), R"([{"a":1},{"a":2}])", false,
        R::MissingComma);
    row("missing comma between members", QStringLiteral("{\"a\": \"x\"\n\"b\": 2}"), R"({"a":"x","b":2})", false,
        R::MissingComma);
    row("full-width punctuation", QString::fromUtf8("{\"公司\"：\"某某公司\"，\"金额\"：\"1,000.00\"}"),
        R"({"公司":"某某公司","金额":"1,000.00"})", false, R::FullWidthPunctuation);
    row("missing colon", QStringLiteral("{\"a\" 1}"), R"({"a":1})", false, R::MissingColon);
    row("grouped number kept as text", QStringLiteral("{\"total\": 1,234.56, \"currency\": \"EUR\"}"),
        R"({"total":"1,234.56","currency":"EUR"})", false, R::BareValues);
    row("bare word value", QStringLiteral("{\"seller\": ACME GmbH, \"n\": 1}"), R"({"seller":"ACME GmbH","n":1})", false,
        R::BareValues);
    row("wrong closing bracket", QStringLiteral("{\"a\": [1, 2}"), R"({"a":[1,2]})", false, R::MismatchedBrackets);
    row("unicode escapes", QStringLiteral(R"({"t": "\u00e9\ud83d\ude00\n\"\\"})"), "{\"t\":\"é😀\\n\\\"\\\\\"}", false,
        {});
    row("invalid escape kept", QStringLiteral(R"({"path": "C:\Users\x"})"), R"({"path":"C:\\Users\\x"})", false,
        R::InvalidEscapes);
    row("key without value dropped", QStringLiteral("{\"a\": , \"b\": 1}"), R"({"b":1})", false, R::DroppedMembers);
    row("nested line items", QStringLiteral("```json\n{\"line_items\": [{\"description\": \"Widget\", \"quantity\": "
                                            "\"2\", \"amount\": \"10.00\"},], \"net_total\": \"10.00\"}\n```"),
        R"({"line_items":[{"description":"Widget","quantity":"2","amount":"10.00"}],"net_total":"10.00"})", false,
        R::Fence | R::TrailingComma);
    row("numbers", QStringLiteral("[0, -1, 2.5, 1e3, -0.25E-2]"), "[0,-1,2.5,1000,-0.0025]", false, {});

    // Cut off at the token limit.
    row("cut inside string", QStringLiteral("```json\n[{\"bbox_2d\": [1, 2, 3, 4], \"text_content\": \"A\"}, "
                                            "{\"bbox_2d\": [5, 6, 7, 8], \"text_content\": \"Hel"),
        R"([{"bbox_2d":[1,2,3,4],"text_content":"A"},{"bbox_2d":[5,6,7,8]}])", true, R::Fence);
    row("cut inside number", QStringLiteral("[{\"bbox_2d\": [1, 2, 3, 4], \"text_content\": \"A\"}, {\"bbox_2d\": [5, 6, 7, 8"),
        R"([{"bbox_2d":[1,2,3,4],"text_content":"A"},{"bbox_2d":[5,6,7]}])", true, {});
    row("cut after comma", QStringLiteral("[{\"a\": 1},"), R"([{"a":1}])", true, {});
    row("cut inside key", QStringLiteral("{\"company\": \"ACME\", \"tot"), R"({"company":"ACME"})", true, {});
    row("cut after colon", QStringLiteral("{\"company\": \"ACME\", \"total\":"), R"({"company":"ACME"})", true, {});
    row("cut inside literal", QStringLiteral("{\"paid\": tr"), R"({})", true, {});
    row("cut inside escape", QStringLiteral("[\"a\", \"b\\"), R"(["a"])", true, {});
    row("cut after complete string", QStringLiteral("[\"a\", \"b\""), R"(["a","b"])", true, {});
    row("cut right after bracket", QStringLiteral("```json\n["), "[]", true, R::Fence);
    row("cut deep", QStringLiteral("{\"a\": {\"b\": [{\"c\": [1, 2"), R"({"a":{"b":[{"c":[1]}]}})", true, {});
}

void TstLenientJson::parses()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QFETCH(bool, truncated);
    QFETCH(int, repairs);
    QFETCH(bool, onlyThese);

    const auto r = parseLenientJson(input);
    QVERIFY2(r.ok(), qPrintable(r.error));
    const QJsonValue want = strict(expected.toUtf8().constData());
    QVERIFY2(r.value == want, qPrintable(show(r.value) + QStringLiteral("\n  expected ") + show(want)));
    QCOMPARE(r.truncated, truncated);
    const JsonRepairs wanted = JsonRepairs::fromInt(repairs);
    QVERIFY2((r.repairs & wanted) == wanted, qPrintable(folio::extract::jsonRepairNames(r.repairs).join(u", ")));
    if (onlyThese)
        QVERIFY2(r.repairs == wanted, qPrintable(folio::extract::jsonRepairNames(r.repairs).join(u", ")));
}

void TstLenientJson::rejects_data()
{
    QTest::addColumn<QString>("input");
    QTest::newRow("empty") << QString();
    QTest::newRow("prose only") << QStringLiteral("I cannot find any text in this image.");
    QTest::newRow("placeholder braces") << QStringLiteral("Fill in {name} and [sic] here.");
    QTest::newRow("empty fence") << QStringLiteral("```json\n```");
    QTest::newRow("too deep") << QString(QStringLiteral("[")).repeated(folio::extract::kMaxJsonDepth + 5);
}

void TstLenientJson::rejects()
{
    QFETCH(QString, input);
    const auto r = parseLenientJson(input);
    QVERIFY(!r.ok());
    QVERIFY(!r.error.isEmpty());
    QVERIFY(r.value.isUndefined());
}

// Every prefix of a real output parses; all elements but the last are complete and equal to
// the full output's; the last holds only members (or array prefixes) of its full counterpart.
void TstLenientJson::everyPrefixKeepsCompleteElements()
{
    const QString full = QString::fromUtf8(kSpotting);
    const QJsonArray want = strict(kSpottingStrict).toArray();
    const qsizetype open = full.indexOf(u'[');
    qsizetype lastCount = 0;
    for (qsizetype n = open + 1; n <= full.size(); ++n) {
        const auto r = parseLenientJson(full.left(n));
        QVERIFY2(r.ok(), qPrintable(QStringLiteral("prefix %1: %2").arg(n).arg(r.error)));
        QVERIFY(r.value.isArray());
        const QJsonArray got = r.value.toArray();
        QVERIFY(got.size() <= want.size());
        QVERIFY2(got.size() >= lastCount, qPrintable(QStringLiteral("prefix %1 lost elements").arg(n)));
        lastCount = got.size();
        for (qsizetype k = 0; k + 1 < got.size(); ++k)
            QCOMPARE(got[k], want[k]);
        if (!got.isEmpty()) {
            const QJsonObject last = got.last().toObject();
            const QJsonObject ref = want[got.size() - 1].toObject();
            for (auto it = last.begin(); it != last.end(); ++it) {
                QVERIFY(ref.contains(it.key()));
                if (it.value().isArray()) {
                    const QJsonArray part = it.value().toArray();
                    const QJsonArray whole = ref.value(it.key()).toArray();
                    QVERIFY(part.size() <= whole.size());
                    for (qsizetype k = 0; k < part.size(); ++k)
                        QCOMPARE(part[k], whole[k]);
                } else {
                    QCOMPARE(it.value(), ref.value(it.key()));
                }
            }
        }
        // Truncated until the closing bracket has been seen.
        QCOMPARE(r.truncated, n <= full.lastIndexOf(u']'));
    }
    QCOMPARE(lastCount, want.size());
}

void TstLenientJson::fuzzNeverCrashesOrHangs()
{
    const QStringList seeds{
        QString::fromUtf8(kSpotting),
        QStringLiteral("{'a': [1, 2, {\"b\": True}], c: \"x\\ny\", // c\n \"d\": 1,234.5}"),
        QString::fromUtf8("Sure! ```json\n{“k”: “v”, \"t\": \"He said \"hi\"\", \"u\": \"\\u00e9\"}\n``` done"),
        QStringLiteral("{\"a\": {\"b\": [{\"c\": [1, 2, [3, [4, {\"d\": null}]]]}]}}"),
    };
    const QString alphabet = QString::fromUtf8("{}[]\",:'\\ \n\t`a1-.tTN/*“”‘’eE+u");
    QRandomGenerator rng(20260315); // fixed seed: failures are reproducible
    QElapsedTimer timer;
    timer.start();
    qint64 slowest = 0;
    int okCount = 0;
    const int iterations = 5000;
    for (int it = 0; it < iterations; ++it) {
        QString s = seeds[rng.bounded(int(seeds.size()))];
        const int ops = 1 + rng.bounded(6);
        for (int k = 0; k < ops && !s.isEmpty(); ++k) {
            const int pos = rng.bounded(int(s.size()));
            switch (rng.bounded(5)) {
            case 0:
                s.remove(pos, 1 + rng.bounded(3));
                break;
            case 1:
                s.insert(pos, alphabet[rng.bounded(int(alphabet.size()))]);
                break;
            case 2:
                s.truncate(pos);
                break;
            case 3:
                s.insert(pos, s.mid(rng.bounded(int(s.size())), 1 + rng.bounded(20)));
                break;
            default:
                std::swap(s[pos], s[rng.bounded(int(s.size()))]);
                break;
            }
        }
        QElapsedTimer one;
        one.start();
        const auto r = parseLenientJson(s);
        slowest = std::max(slowest, one.elapsed());
        if (r.ok()) {
            QVERIFY2(r.value.isArray() || r.value.isObject(), qPrintable(s));
            ++okCount;
        } else {
            QVERIFY2(r.value.isUndefined() && !r.error.isEmpty(), qPrintable(s));
        }
    }
    qInfo("fuzz: %d mutated inputs, %d recovered, %lld ms total, slowest %lld ms", iterations, okCount,
        timer.elapsed(), slowest);
    QVERIFY(slowest < 500);
}

void TstLenientJson::adversarialInputsAreFast_data()
{
    QTest::addColumn<QString>("input");
    const int n = 200000;
    QTest::newRow("many quotes") << QStringLiteral("[") + QString(n, u'"');
    QTest::newRow("many open braces") << QString(n, u'{');
    QTest::newRow("dotted number") << QStringLiteral("[") + QStringLiteral("1.").repeated(n / 2);
    QTest::newRow("word soup") << QStringLiteral("[") + QStringLiteral("abc ").repeated(n / 4);
    QTest::newRow("unterminated comment") << QStringLiteral("[1, /*") + QString(n, u'x');
    QTest::newRow("many fences") << QStringLiteral("```\n").repeated(n / 4);
    QTest::newRow("deep then wide") << QStringLiteral("[").repeated(100) + QStringLiteral("1,").repeated(n / 2);
    QTest::newRow("quote space runs") << QStringLiteral("[\"") + QStringLiteral("\" ").repeated(n / 2);
}

void TstLenientJson::adversarialInputsAreFast()
{
    QFETCH(QString, input);
    QElapsedTimer timer;
    timer.start();
    const auto r = parseLenientJson(input);
    QVERIFY(r.ok() || !r.error.isEmpty());
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QStringLiteral("%1 ms").arg(timer.elapsed())));
}

FOLIO_TEST_CLASS(TstLenientJson)
#include "tst_lenientjson.moc"
