#include "truthwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cmath>

namespace folio::samplegen {

namespace {

double rounded(double v)
{
    return std::round(v * 100000.0) / 100000.0;
}

QJsonArray normalizedBox(const TruthValue& value, const TruthDocument& truth)
{
    const QSizeF page = truth.pagesPt.at(static_cast<std::size_t>(value.page - 1));
    const QRectF& r = value.rectPt;
    return { rounded(r.left() / page.width()), rounded(r.top() / page.height()), rounded(r.right() / page.width()),
        rounded(r.bottom() / page.height()) };
}

QJsonObject valueObject(const TruthValue& value, const TruthDocument& truth)
{
    return { { QStringLiteral("text"), value.text }, { QStringLiteral("normalized"), value.normalized },
        { QStringLiteral("page"), value.page }, { QStringLiteral("box"), normalizedBox(value, truth) } };
}

} // namespace

QByteArray truthJson(const TruthDocument& truth)
{
    QJsonArray pages;
    for (std::size_t i = 0; i < truth.pagesPt.size(); ++i)
        pages.append(QJsonObject { { QStringLiteral("index"), static_cast<int>(i) },
            { QStringLiteral("width_pt"), rounded(truth.pagesPt[i].width()) },
            { QStringLiteral("height_pt"), rounded(truth.pagesPt[i].height()) } });

    QJsonArray fields;
    for (const TruthField& f : truth.fields)
        fields.append(QJsonObject { { QStringLiteral("name"), f.name }, { QStringLiteral("value"), f.value.text },
            { QStringLiteral("normalized"), f.value.normalized }, { QStringLiteral("page"), f.value.page },
            { QStringLiteral("box"), normalizedBox(f.value, truth) } });

    QJsonArray tables;
    for (const TruthTable& t : truth.tables) {
        QJsonArray rows;
        for (const auto& row : t.rows) {
            QJsonArray cells;
            for (const TruthValue& cell : row)
                cells.append(valueObject(cell, truth));
            rows.append(cells);
        }
        tables.append(QJsonObject { { QStringLiteral("name"), t.name }, { QStringLiteral("page_first"), t.pageFirst },
            { QStringLiteral("columns"), QJsonArray::fromStringList(t.columns) }, { QStringLiteral("rows"), rows } });
    }

    const QJsonObject root { { QStringLiteral("file"), truth.file }, { QStringLiteral("kind"), truth.kind },
        { QStringLiteral("pages"), pages }, { QStringLiteral("fields"), fields },
        { QStringLiteral("tables"), tables } };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<void> writeTruth(const TruthDocument& truth, const QString& path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(truthJson(truth)) < 0 || !file.commit())
        return makeError("Cannot write the truth file " + path.toStdString() + ": " + file.errorString().toStdString());
    return {};
}

} // namespace folio::samplegen
