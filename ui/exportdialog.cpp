#include "ui/exportdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace folio::ui {

namespace {

    constexpr int kKindRole = Qt::UserRole;
    constexpr int kTableRole = Qt::UserRole + 1;

    QString suffixFor(ExportRequest::Kind kind)
    {
        switch (kind) {
        case ExportRequest::Kind::DocumentJson: return QStringLiteral(".json");
        case ExportRequest::Kind::DocumentXlsx:
        case ExportRequest::Kind::LibraryXlsx: return QStringLiteral(".xlsx");
        case ExportRequest::Kind::TableCsv:
        case ExportRequest::Kind::LibraryCsv: return QStringLiteral(".csv");
        }
        return {};
    }

} // namespace

ExportDialog::ExportDialog(const QString& documentName, const QStringList& tableNames, QWidget* parent)
    : QDialog(parent), m_documentName(documentName)
{
    setWindowTitle(tr("Export"));
    auto* form = new QFormLayout(this);
    m_what = new QComboBox(this);
    const auto add = [this](const QString& text, ExportRequest::Kind kind, int table = 0) {
        m_what->addItem(text);
        m_what->setItemData(m_what->count() - 1, int(kind), kKindRole);
        m_what->setItemData(m_what->count() - 1, table, kTableRole);
    };
    if (!documentName.isEmpty()) {
        add(tr("%1 — JSON with boxes and provenance").arg(documentName), ExportRequest::Kind::DocumentJson);
        add(tr("%1 — Excel workbook").arg(documentName), ExportRequest::Kind::DocumentXlsx);
        for (int i = 0; i < tableNames.size(); ++i)
            add(tr("%1 — table “%2” as CSV").arg(documentName, tableNames[i]), ExportRequest::Kind::TableCsv, i);
    }
    add(tr("All documents — invoices and line items, Excel workbook"), ExportRequest::Kind::LibraryXlsx);
    add(tr("All documents — invoices and line items, two CSV files"), ExportRequest::Kind::LibraryCsv);
    form->addRow(tr("Export"), m_what);

    m_path = new QLineEdit(this);
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* row = new QHBoxLayout;
    row->addWidget(m_path, 1);
    row->addWidget(browse);
    form->addRow(tr("File"), row);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_what, &QComboBox::currentIndexChanged, this, &ExportDialog::suggestPath);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString suffix = suffixFor(request().kind);
        const QString path = QFileDialog::getSaveFileName(this, tr("Export to"), m_path->text(),
                                                          QStringLiteral("*%1").arg(suffix));
        if (!path.isEmpty())
            m_path->setText(path.endsWith(suffix) ? path : path + suffix);
    });
    suggestPath();
    resize(560, sizeHint().height());
}

void ExportDialog::suggestPath()
{
    const ExportRequest r = request();
    const QString dir = QFileInfo(m_path->text()).path().isEmpty() || m_path->text().isEmpty()
                            ? QDir::homePath()
                            : QFileInfo(m_path->text()).path();
    const bool library = r.kind == ExportRequest::Kind::LibraryXlsx || r.kind == ExportRequest::Kind::LibraryCsv;
    const QString stem = library ? QStringLiteral("folio-invoices") : QFileInfo(m_documentName).completeBaseName();
    m_path->setText(QDir(dir).filePath(stem + suffixFor(r.kind)));
}

ExportRequest ExportDialog::request() const
{
    ExportRequest r;
    r.kind = ExportRequest::Kind(m_what->currentData(kKindRole).toInt());
    r.tableIndex = m_what->currentData(kTableRole).toInt();
    r.path = m_path->text().trimmed();
    return r;
}

} // namespace folio::ui
