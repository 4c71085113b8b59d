#pragma once
// ExportDialog: asks what to export and where — the shown document as JSON (with provenance)
// or XLSX, one of its tables as CSV, or every document's invoices as XLSX or as two CSV files
// (invoices and line items). The writing itself is done by runExport (ui/exportrunner.h).
// GUI thread only.

#include <QDialog>
#include <QStringList>

class QComboBox;
class QLineEdit;

namespace folio::ui {

struct ExportRequest {
    enum class Kind { DocumentJson, DocumentXlsx, TableCsv, LibraryXlsx, LibraryCsv };
    Kind kind = Kind::DocumentJson;
    int tableIndex = 0; // TableCsv: index into the document's current tables
    QString path;       // LibraryCsv: the invoices file; line items go beside it ("-line-items.csv")
};

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    // tableNames: the shown document's tables, in stored order; empty document name: no
    // document is shown, so only the library-wide exports are offered.
    ExportDialog(const QString& documentName, const QStringList& tableNames, QWidget* parent = nullptr);
    ExportRequest request() const;

private:
    void suggestPath();

    QString m_documentName;
    QComboBox* m_what;
    QLineEdit* m_path;
};

} // namespace folio::ui
