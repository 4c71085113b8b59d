#include "ui/resultspanel.h"

#include "extract/einvoice/einvoice.h"

#include <QHeaderView>
#include <QLabel>
#include <QMap>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace folio::ui {

namespace {

    constexpr int kKindRole = Qt::UserRole;
    constexpr int kIdRole = Qt::UserRole + 1;
    constexpr int kPartRole = Qt::UserRole + 2; // 0: value, 1: normalised value

    enum FieldColumn { ColName, ColValue, ColNormalized, ColConfidence, ColReview, ColCount };

    ReviewItem itemOf(const QTableWidgetItem* cell)
    {
        if (!cell || !cell->data(kIdRole).isValid())
            return {};
        return ReviewItem{ReviewKind(cell->data(kKindRole).toInt()), cell->data(kIdRole).toLongLong()};
    }

    void tag(QTableWidgetItem* cell, const ReviewItem& item, int part)
    {
        cell->setData(kKindRole, int(item.kind));
        cell->setData(kIdRole, item.id);
        cell->setData(kPartRole, part);
    }

    QTableWidgetItem* readOnly(const QString& text)
    {
        auto* cell = new QTableWidgetItem(text);
        cell->setFlags(cell->flags() & ~Qt::ItemIsEditable);
        return cell;
    }

    // Row tint by review state: flagged asks for attention, accepted is done.
    QColor statusTint(const QString& status, bool hasFlags)
    {
        if (status == storage::kReviewFlagged)
            return QColor(255, 224, 178);
        if (status == storage::kReviewAccepted)
            return QColor(220, 245, 222);
        return hasFlags ? QColor(255, 243, 224) : QColor();
    }

    QString statusText(const QString& status)
    {
        if (status == storage::kReviewAccepted)
            return QStringLiteral("✓ accepted");
        if (status == storage::kReviewFlagged)
            return QStringLiteral("⚑ flagged");
        return QStringLiteral("pending");
    }

} // namespace

ResultsPanel::ResultsPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_empty = new QLabel(tr("No extraction results for this document yet."), this);
    m_empty->setWordWrap(true);
    m_empty->setMargin(8);
    layout->addWidget(m_empty);
    m_engine = new QLabel(this);
    m_engine->setObjectName(QStringLiteral("resultsEngine"));
    m_engine->setWordWrap(true);
    m_engine->setMargin(4);
    layout->addWidget(m_engine);
    m_tabs = new QTabWidget(this);
    layout->addWidget(m_tabs, 1);
    m_fields = makeGrid();
    m_fields->setObjectName(QStringLiteral("fieldsTable"));
    m_fields->setColumnCount(ColCount);
    m_fields->setHorizontalHeaderLabels({tr("Field"), tr("Value"), tr("Normalised"), tr("Conf."), tr("Review")});
    m_fields->horizontalHeader()->setSectionResizeMode(ColValue, QHeaderView::Stretch);
    m_fields->horizontalHeader()->setSectionResizeMode(ColNormalized, QHeaderView::Stretch);
    m_fields->horizontalHeader()->setSectionResizeMode(ColReview, QHeaderView::ResizeToContents);
    m_fields->verticalHeader()->hide();
    m_tabs->addTab(m_fields, tr("Fields"));
    clear();
}

QTableWidget* ResultsPanel::makeGrid()
{
    auto* grid = new QTableWidget(this);
    grid->setSelectionMode(QAbstractItemView::SingleSelection);
    grid->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                          | QAbstractItemView::AnyKeyPressed);
    grid->setWordWrap(false);
    connect(grid, &QTableWidget::itemChanged, this, &ResultsPanel::onItemChanged);
    connect(grid, &QTableWidget::currentItemChanged, this, [this](QTableWidgetItem* cell) { onCurrentChanged(cell); });
    return grid;
}

void ResultsPanel::clear()
{
    m_filling = true;
    while (m_tabs->count() > 1) {
        QWidget* w = m_tabs->widget(1);
        m_tabs->removeTab(1);
        delete w;
    }
    m_fields->setRowCount(0);
    m_valueCells.clear();
    m_normalized.clear();
    m_values.clear();
    m_empty->show();
    m_engine->hide();
    m_filling = false;
}

void ResultsPanel::showEngines(const storage::DocumentResults& results)
{
    // Which engine read the values matters for how much to trust them: an embedded e-invoice
    // is exact, a model's reading is to be reviewed.
    QMap<QString, int> bySource;
    for (const storage::StoredField& f : results.fields)
        ++bySource[f.field.source.isEmpty() ? QStringLiteral("model") : f.field.source];
    QStringList parts;
    for (auto it = bySource.cbegin(); it != bySource.cend(); ++it) {
        const QString what = it.key() == extract::kEInvoiceSource
            ? tr("<b>e-invoice</b> (exact values from the XML embedded in the PDF, no model)")
            : QStringLiteral("<b>%1</b>").arg(it.key().toHtmlEscaped());
        parts << (it.value() == 1 ? tr("%1: 1 field").arg(what) : tr("%1: %2 fields").arg(what).arg(it.value()));
    }
    m_engine->setText(tr("Engine: %1").arg(parts.join(QStringLiteral(" · "))));
    m_engine->setVisible(!parts.isEmpty());
}

void ResultsPanel::setResults(const storage::DocumentResults& results)
{
    const ReviewItem selected = currentItem();
    const int tab = m_tabs->currentIndex();
    clear();
    m_filling = true;
    m_fields->setRowCount(int(results.fields.size()));
    int row = 0;
    for (const storage::StoredField& f : results.fields) {
        const ReviewItem item{ReviewKind::Field, f.id};
        const QStringList flags = extract::flagsToStrings(f.field.flags);
        auto* name = readOnly(f.field.name);
        auto* value = new QTableWidgetItem(f.field.value);
        auto* normalized = new QTableWidgetItem(f.field.normalized);
        auto* confidence = readOnly(QString::number(f.field.confidence, 'f', 2));
        // The state and the reasons to look, in one column: "pending · ambiguous_date".
        auto* review = readOnly((QStringList{statusText(f.reviewStatus)} + flags).join(QStringLiteral(" · ")));
        if (!f.field.box.valid())
            name->setToolTip(tr("This value has no box on the page."));
        const QColor tint = statusTint(f.reviewStatus, !flags.isEmpty());
        int col = 0;
        for (QTableWidgetItem* cell : {name, value, normalized, confidence, review}) {
            tag(cell, item, cell == normalized ? 1 : 0);
            if (tint.isValid())
                cell->setBackground(tint);
            m_fields->setItem(row, col++, cell);
        }
        if (f.field.confidence < 0.8)
            confidence->setForeground(QColor(191, 54, 12));
        m_valueCells.insert(item, value);
        m_values.insert(item, f.field.value);
        m_normalized.insert(item, f.field.normalized);
        ++row;
    }
    m_fields->resizeColumnToContents(ColName);
    m_fields->resizeColumnToContents(ColConfidence);
    showEngines(results);
    int number = 1;
    for (const storage::StoredTable& t : results.tables)
        addTableTab(t, number++);
    m_empty->setVisible(results.fields.empty() && results.tables.empty());
    m_filling = false;
    if (tab >= 0 && tab < m_tabs->count())
        m_tabs->setCurrentIndex(tab);
    if (!selected.isNull())
        selectItem(selected);
}

void ResultsPanel::addTableTab(const storage::StoredTable& t, int number)
{
    QTableWidget* grid = makeGrid();
    grid->setObjectName(QStringLiteral("table%1").arg(t.id));
    grid->setRowCount(t.table.rows());
    grid->setColumnCount(t.table.cols());
    for (size_t i = 0; i < t.table.cells.size(); ++i) {
        const extract::Cell& c = t.table.cells[i];
        const ReviewItem item{ReviewKind::Cell, t.cellIds[i]};
        auto* cell = new QTableWidgetItem(c.text);
        tag(cell, item, 0);
        const QStringList flags = extract::flagsToStrings(c.flags);
        QString tip = tr("Confidence %1").arg(c.confidence, 0, 'f', 2);
        if (!c.normalized.isEmpty())
            tip += tr("\nNormalised: %1").arg(c.normalized);
        if (!flags.isEmpty())
            tip += tr("\nFlags: %1").arg(flags.join(QStringLiteral(", ")));
        cell->setToolTip(tip);
        if (c.header) {
            QFont bold = cell->font();
            bold.setBold(true);
            cell->setFont(bold);
        }
        const QColor tint = statusTint(t.cellReviewStatus[i], !flags.isEmpty());
        if (tint.isValid())
            cell->setBackground(tint);
        grid->setItem(c.row, c.col, cell);
        if (c.rowSpan > 1 || c.colSpan > 1)
            grid->setSpan(c.row, c.col, c.rowSpan, c.colSpan);
        m_valueCells.insert(item, cell);
        m_values.insert(item, c.text);
        m_normalized.insert(item, c.normalized);
    }
    grid->resizeColumnsToContents();
    m_tabs->addTab(grid, t.table.name.isEmpty() ? tr("Table %1").arg(number) : t.table.name);
}

void ResultsPanel::selectItem(const ReviewItem& item)
{
    QTableWidgetItem* cell = m_valueCells.value(item);
    if (!cell)
        return;
    m_filling = true;
    QTableWidget* grid = cell->tableWidget();
    m_tabs->setCurrentWidget(grid);
    grid->setCurrentItem(cell);
    grid->scrollToItem(cell);
    m_filling = false;
}

ReviewItem ResultsPanel::currentItem() const
{
    const auto* grid = qobject_cast<const QTableWidget*>(m_tabs->currentWidget());
    return grid ? itemOf(grid->currentItem()) : ReviewItem{};
}

QTableWidgetItem* ResultsPanel::valueCell(const ReviewItem& item) const
{
    return m_valueCells.value(item);
}

void ResultsPanel::onCurrentChanged(QTableWidgetItem* cell)
{
    const ReviewItem item = itemOf(cell);
    if (!m_filling && !item.isNull())
        Q_EMIT itemSelected(item);
}

void ResultsPanel::onItemChanged(QTableWidgetItem* cell)
{
    if (m_filling)
        return;
    const ReviewItem item = itemOf(cell);
    if (item.isNull())
        return;
    if (cell->data(kPartRole).toInt() == 1) {
        if (cell->text() != m_normalized.value(item))
            Q_EMIT valueEdited(item, m_values.value(item), cell->text());
    } else if (cell->text() != m_values.value(item))
        Q_EMIT valueEdited(item, cell->text(), m_normalized.value(item));
}

} // namespace folio::ui
