#include "ui/exportrunner.h"

#include "storage/csvexport.h"
#include "storage/exportdocument.h"
#include "storage/jsonexport.h"
#include "storage/library.h"
#include "storage/xlsxexport.h"

#include <QtConcurrent>

namespace folio::ui {

namespace {

    QString message(const Result<void>& r) { return r ? QString() : QString::fromStdString(r.error()); }

    QFuture<QString> failed(const std::string& error) { return QtFuture::makeReadyFuture(QString::fromStdString(error)); }

} // namespace

QFuture<QString> runExport(storage::Library& library, const ExportRequest& request, qint64 documentId)
{
    using Kind = ExportRequest::Kind;
    std::vector<storage::ExportDocument> documents;
    if (request.kind == Kind::LibraryXlsx || request.kind == Kind::LibraryCsv) {
        const auto list = library.listDocuments();
        if (!list)
            return failed(list.error());
        for (const storage::DocumentSummary& d : *list) {
            auto doc = storage::loadExportDocument(library, d.id);
            if (!doc)
                return failed(doc.error());
            documents.push_back(std::move(*doc));
        }
    } else {
        auto doc = storage::loadExportDocument(library, documentId);
        if (!doc)
            return failed(doc.error());
        documents.push_back(std::move(*doc));
    }
    if (request.kind == Kind::TableCsv && size_t(request.tableIndex) >= documents.front().results.tables.size())
        return failed("The table to export is no longer in the document; open the export again.");

    return QtConcurrent::run([request, documents = std::move(documents)] {
        const storage::CsvOptions csv{true}; // with a BOM: Excel then reads UTF-8
        switch (request.kind) {
        case Kind::DocumentJson: return message(storage::exportDocumentJson(documents.front(), request.path, {}));
        case Kind::DocumentXlsx:
        case Kind::LibraryXlsx: return message(storage::exportWorkbook(documents, request.path));
        case Kind::TableCsv:
            return message(storage::exportTableCsv(documents.front().results.tables[size_t(request.tableIndex)].table,
                                                   request.path, csv));
        case Kind::LibraryCsv: {
            QString items = request.path;
            if (items.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive))
                items.chop(4);
            return message(storage::exportInvoicesCsv(documents, request.path, items + QStringLiteral("-line-items.csv"), csv));
        }
        }
        return QStringLiteral("Unknown export kind.");
    });
}

} // namespace folio::ui
