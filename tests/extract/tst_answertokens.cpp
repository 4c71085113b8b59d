// attachTokenEvidence: each extracted value is found in the raw answer and scored with the
// weakest log-probability of the tokens that wrote it; values not in the answer and engines
// without token probabilities are said to be so, not given a number.
#include "testregistry.h"

#include "extract/answertokens.h"

#include <QTest>

using namespace folio::extract;

namespace {

// Tokens from (text, logprob) pieces whose concatenation is the answer.
AnswerTokens tokensOf(const std::vector<std::pair<QString, float>>& pieces, QString* answer)
{
    AnswerTokens t;
    for (const auto& [text, lp] : pieces) {
        *answer += text;
        t.bytes.push_back(int(text.toUtf8().size()));
        t.logprobs.push_back(lp);
    }
    return t;
}

Field field(const QString& name, const QString& value)
{
    Field f;
    f.name = name;
    f.value = value;
    return f;
}

} // namespace

class TstAnswerTokens : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fieldsAfterTheirKeys()
    {
        QString raw;
        // The same amount twice: each field must get the tokens after its own key.
        const AnswerTokens t = tokensOf({{"{\"net_total\": \"", -0.01f}, {"100", -0.02f}, {".00", -0.03f}, {"\", ", -0.01f},
                                         {"\"grand_total\": \"", -0.01f}, {"1", -0.9f}, {"00.00", -0.05f}, {"\"}", -0.01f}},
                                        &raw);
        PageResult r;
        r.fields = {field("grand_total", "100.00"), field("net_total", "100.00"), field("due_date", "2026-01-01")};
        attachTokenEvidence(r, raw, t);
        QCOMPARE(r.fields[0].evidence.tokens, ConfidenceEvidence::Tokens::Measured);
        QCOMPARE(r.fields[0].evidence.weakestLogprob, double(-0.9f));
        QCOMPARE(r.fields[1].evidence.weakestLogprob, double(-0.03f));
        QCOMPARE(r.fields[2].evidence.tokens, ConfidenceEvidence::Tokens::NotLocated);
    }

    void lineItemsRowByRow()
    {
        QString raw;
        const AnswerTokens t = tokensOf({{"{\"line_items\": [{\"amount\": \"", -0.01f}, {"5", -0.4f}, {"\"}, {\"amount\": \"", -0.01f},
                                         {"5", -0.1f}, {"\"}]}", -0.01f}},
                                        &raw);
        Table items;
        items.name = QStringLiteral("line_items");
        for (int row = 1; row <= 2; ++row) {
            Cell c;
            c.row = row;
            c.col = 5; // amount
            c.text = QStringLiteral("5");
            items.cells.push_back(c);
        }
        PageResult r;
        r.tables.push_back(items);
        attachTokenEvidence(r, raw, t);
        QCOMPARE(r.tables[0].cells[0].evidence.weakestLogprob, double(-0.4f));
        QCOMPARE(r.tables[0].cells[1].evidence.weakestLogprob, double(-0.1f));
    }

    // A character split over two tokens: the first writes no bytes, and still counts.
    void splitCharacter()
    {
        QString raw = QStringLiteral("[{\"text_content\": \"");
        AnswerTokens t;
        t.bytes = {int(raw.toUtf8().size()), 0, 3, 2};
        t.logprobs = {-0.01f, -1.5f, -0.2f, -0.01f};
        raw += QStringLiteral("発\"}");
        TextLine l;
        l.text = QStringLiteral("発");
        PageResult r;
        r.lines.push_back(l);
        attachTokenEvidence(r, raw, t);
        QCOMPARE(r.lines[0].evidence.tokens, ConfidenceEvidence::Tokens::Measured);
        QCOMPARE(r.lines[0].evidence.weakestLogprob, double(-1.5f));
    }

    void noTokensIsNotReported()
    {
        PageResult r;
        r.fields = {field("net_total", "1.00")};
        attachTokenEvidence(r, QStringLiteral("{\"net_total\": \"1.00\"}"), AnswerTokens{});
        QCOMPARE(r.fields[0].evidence.tokens, ConfidenceEvidence::Tokens::NotReported);
    }

    // Tokens that do not cover the answer (a server that sent fewer) measure nothing.
    void tokensShortOfTheAnswer()
    {
        AnswerTokens t;
        t.bytes = {3};
        t.logprobs = {-0.1f};
        PageResult r;
        r.fields = {field("net_total", "1.00")};
        attachTokenEvidence(r, QStringLiteral("{\"net_total\": \"1.00\"}"), t);
        QCOMPARE(r.fields[0].evidence.tokens, ConfidenceEvidence::Tokens::NotLocated);
    }

    void runParamsRoundTrip()
    {
        AnswerTokens t;
        t.bytes = {1, 0, 4};
        t.logprobs = {-0.5f, -0.25f, 0.0f};
        QJsonObject params;
        t.writeTo(params);
        const AnswerTokens back = AnswerTokens::readFrom(params);
        QCOMPARE(back.bytes, t.bytes);
        QCOMPARE(back.logprobs, t.logprobs);
        QVERIFY(!AnswerTokens::readFrom(QJsonObject{}).known());
    }
};

FOLIO_TEST_CLASS(TstAnswerTokens)
#include "tst_answertokens.moc"
