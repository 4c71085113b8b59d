#pragma once
// Hand-written documents, runs and page results for the storage tests of results, edits and
// exports. Every expected value in those tests is written here or in the test itself.

#include "extract/types/pageresult.h"
#include "storage/records.h"
#include "storage/resultrecords.h"

#include <QCryptographicHash>
#include <QJsonObject>

namespace folio::test {

inline storage::NewDocument sampleDocument(const QString& path, int pageCount)
{
    storage::NewDocument doc;
    doc.path = path;
    doc.sha256Hex = QCryptographicHash::hash(path.toUtf8(), QCryptographicHash::Sha256).toHex();
    doc.kind = QStringLiteral("pdf");
    doc.fileSize = 4321;
    for (int p = 0; p < pageCount; ++p) {
        storage::PageRecord page;
        page.index = p;
        page.widthPt = 595;
        page.heightPt = 842;
        page.hasTextLayer = true;
        page.words = { { QStringLiteral("Rechnung"), QRectF(0.1, 0.05, 0.2, 0.03), 0 },
            { QStringLiteral("Nr."), QRectF(0.32, 0.05, 0.05, 0.03), 0 },
            { QStringLiteral("Seite"), QRectF(0.1, 0.95, 0.1, 0.02), 1 } };
        doc.pages.push_back(page);
    }
    return doc;
}

inline storage::RunRecord sampleRun(qint64 documentId, int page, const QString& task)
{
    storage::RunRecord run;
    run.documentId = documentId;
    run.pageIndex = page;
    run.task = task;
    run.modelId = QStringLiteral("Qwen2.5-VL-3B-Instruct");
    run.promptVersion = task + QStringLiteral("-v1");
    run.params = QJsonObject { { QStringLiteral("max_new_tokens"), 2048 }, { QStringLiteral("temperature"), 0.0 } };
    run.rawOutput = QStringLiteral("```json\n{\"invoice_number\": \"RE-2024-0815\"}\n```");
    run.resizedWidth = 812;
    run.resizedHeight = 1148;
    run.timings = QJsonObject { { QStringLiteral("prefill_ms"), 812.5 }, { QStringLiteral("decode_ms"), 4100 } };
    run.status = QStringLiteral("ok");
    run.attempt = 1;
    run.startedAt = QDateTime(QDate(2026, 3, 4), QTime(10, 11, 12, 345), Qt::UTC);
    run.finishedAt = QDateTime(QDate(2026, 3, 4), QTime(10, 11, 17, 6), Qt::UTC);
    return run;
}

inline extract::Box box(int page, double x0, double y0, double x1, double y1)
{
    return extract::Box { page, x0, y0, x1, y1 };
}

// An invoice page: three fields (one without a box), a line-items table whose first row is a
// header and whose last row has a cell spanning two columns, and two text lines.
inline extract::PageResult sampleInvoice(int page, const QString& invoiceNumber = QStringLiteral("RE-2024-0815"))
{
    using extract::Flag;
    extract::PageResult r;
    r.page = page;
    r.lines = {
        { box(page, 0.1, 0.05, 0.5, 0.08), QStringLiteral("Rechnung Nr. ") + invoiceNumber, 0.97, {}, {} },
        { box(page, 0.1, 0.9, 0.6, 0.93), QStringLiteral("Zahlbar innerhalb von 14 Tagen"), 0.8, Flag::LowConfidence, {} },
    };
    r.fields = {
        { QStringLiteral("invoice_number"), invoiceNumber, invoiceNumber, box(page, 0.35, 0.05, 0.5, 0.08), 0.99, {},
            QStringLiteral("model"), {} },
        { QStringLiteral("issue_date"), QStringLiteral("03.04.2026"), QStringLiteral("2026-04-03"),
            box(page, 0.7, 0.05, 0.85, 0.08), 0.9, Flag::AmbiguousDate | Flag::NotOnPage, QStringLiteral("model"), {} },
        { QStringLiteral("grand_total"), QStringLiteral("1.234,50 €"), QStringLiteral("1234.50"), extract::Box {}, 0.6,
            Flag::TotalMismatch, QStringLiteral("e-invoice"), {} },
    };
    extract::Table items;
    items.name = QStringLiteral("line_items");
    items.box = box(page, 0.1, 0.3, 0.9, 0.6);
    const auto cell = [&](int row, int col, const QString& text, const QString& normalized, bool header = false) {
        extract::Cell c;
        c.row = row;
        c.col = col;
        c.text = text;
        c.normalized = normalized;
        c.header = header;
        c.box = box(page, 0.1 + 0.2 * col, 0.3 + 0.1 * row, 0.28 + 0.2 * col, 0.38 + 0.1 * row);
        c.confidence = 0.95;
        return c;
    };
    items.cells = {
        cell(0, 0, QStringLiteral("description"), {}, true),
        cell(0, 1, QStringLiteral("quantity"), {}, true),
        cell(0, 2, QStringLiteral("amount"), {}, true),
        cell(1, 0, QStringLiteral("Schrauben M4"), {}),
        cell(1, 1, QStringLiteral("12"), QStringLiteral("12")),
        cell(1, 2, QStringLiteral("1.234,50"), QStringLiteral("1234.50")),
    };
    extract::Cell note = cell(2, 0, QStringLiteral("Versand frei Haus"), {});
    note.colSpan = 2;
    note.flags = Flag::Truncated;
    note.box = box(page, 0.1, 0.5, 0.48, 0.58);
    items.cells.push_back(note);
    items.cells.push_back(cell(2, 2, QStringLiteral("0,00"), QStringLiteral("0.00")));
    r.tables = { items };
    return r;
}

} // namespace folio::test
