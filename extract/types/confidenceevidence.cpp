#include "extract/types/confidenceevidence.h"

#include <QStringList>

#include <array>
#include <utility>

namespace folio::extract {

namespace {

    using Page = ConfidenceEvidence::Page;
    using Normalization = ConfidenceEvidence::Normalization;

    constexpr std::array<std::pair<Page, const char*>, 5> kPageNames{{
        {Page::NoWords, "nowords"}, {Page::Agreed, "agree"}, {Page::Moved, "moved"},
        {Page::Mismatch, "mismatch"}, {Page::NotOnPage, "absent"},
    }};
    constexpr std::array<std::pair<Normalization, const char*>, 4> kNormNames{{
        {Normalization::NotApplicable, "na"}, {Normalization::Ok, "ok"},
        {Normalization::Ambiguous, "ambiguous"}, {Normalization::Failed, "failed"},
    }};

    template <typename E, std::size_t N>
    QString nameOf(const std::array<std::pair<E, const char*>, N>& names, E value)
    {
        for (const auto& [v, name] : names)
            if (v == value)
                return QString::fromLatin1(name);
        return {};
    }

    template <typename E, std::size_t N>
    E valueOf(const std::array<std::pair<E, const char*>, N>& names, const QString& name, E fallback)
    {
        for (const auto& [v, n] : names)
            if (name == QLatin1String(n))
                return v;
        return fallback;
    }

    QString number(double v) { return QString::number(v, 'g', 4); }

} // namespace

QString ConfidenceEvidence::toText() const
{
    QStringList parts;
    switch (tokens) {
    case Tokens::Unknown:
        break;
    case Tokens::NotReported:
        parts << QStringLiteral("tok=none");
        break;
    case Tokens::NotLocated:
        parts << QStringLiteral("tok=unlocated");
        break;
    case Tokens::Measured:
        parts << QStringLiteral("tok=") + number(weakestLogprob);
        break;
    }
    if (page != Page::Unknown) {
        QString p = QStringLiteral("page=") + nameOf(kPageNames, page);
        if (page == Page::Agreed || page == Page::Moved || page == Page::Mismatch)
            p += (pageOcr ? QStringLiteral(":ocr:") : QStringLiteral(":text:")) + number(pageScore);
        parts << p;
    }
    if (normalization != Normalization::Unknown)
        parts << QStringLiteral("norm=") + nameOf(kNormNames, normalization);
    if (checksPassed || checksFailed)
        parts << QStringLiteral("checks=%1/%2").arg(checksPassed).arg(checksFailed);
    if (unvalidated)
        parts << QStringLiteral("unvalidated=1");
    return parts.join(QLatin1Char(';'));
}

ConfidenceEvidence ConfidenceEvidence::fromText(const QString& text)
{
    ConfidenceEvidence e;
    for (const QString& part : text.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        if (eq < 0)
            continue;
        const QString key = part.left(eq);
        const QString value = part.mid(eq + 1);
        bool ok = false;
        if (key == u"tok") {
            if (value == u"none") {
                e.tokens = Tokens::NotReported;
            } else if (value == u"unlocated") {
                e.tokens = Tokens::NotLocated;
            } else if (const double lp = value.toDouble(&ok); ok && lp <= 0) {
                e.tokens = Tokens::Measured;
                e.weakestLogprob = lp;
            }
        } else if (key == u"page") {
            const QStringList p = value.split(QLatin1Char(':'));
            const Page kind = valueOf(kPageNames, p.value(0), Page::Unknown);
            if (kind == Page::Agreed || kind == Page::Moved || kind == Page::Mismatch) {
                const double score = p.value(2).toDouble(&ok);
                if (p.size() != 3 || !ok || score < 0 || score > 1)
                    continue;
                e.pageOcr = p.value(1) == u"ocr";
                e.pageScore = score;
            }
            e.page = kind;
        } else if (key == u"norm") {
            e.normalization = valueOf(kNormNames, value, Normalization::Unknown);
        } else if (key == u"checks") {
            const QStringList c = value.split(QLatin1Char('/'));
            bool okFailed = false;
            const int passed = c.value(0).toInt(&ok), failed = c.value(1).toInt(&okFailed);
            if (c.size() == 2 && ok && okFailed && passed >= 0 && failed >= 0) {
                e.checksPassed = passed;
                e.checksFailed = failed;
            }
        } else if (key == u"unvalidated") {
            e.unvalidated = value == u"1";
        }
    }
    return e;
}

} // namespace folio::extract
