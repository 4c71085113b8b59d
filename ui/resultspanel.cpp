#include "ui/resultspanel.h"

#include "extract/einvoice/einvoice.h"
#include "ui/cellsmodel.h"
#include "ui/fieldsmodel.h"
#include "ui/resultroles.h"
#include "ui/reviewqueue.h"

#include <QHeaderView>
#include <QLabel>
#include <QMap>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace folio::ui {

namespace {

    // A grid where typing a letter does nothing: letters are the window's review shortcuts,
    // and the stock "jump to the row starting with this letter" would move the selection.
    class ReviewGrid : public QTableView {
    public:
        using QTableView::QTableView;
        void keyboardSearch(const QString&) override {}
        bool editing() const { return state() == EditingState; }
    };

    bool isEditing(const QTableView* grid)
    {
        return static_cast<const ReviewGrid*>(grid)->editing(); // every grid here is made by makeGrid()
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

    m_fields = new FieldsModel(this);
    connect(m_fields, &FieldsModel::valueEdited, this, &ResultsPanel::valueEdited);
    m_fieldsProxy = new QSortFilterProxyModel(this);
    m_fieldsProxy->setSourceModel(m_fields);
    m_fieldsProxy->setSortRole(ResultRole::Sort);
    m_fieldsView = makeGrid();
    m_fieldsView->setObjectName(QStringLiteral("fieldsTable"));
    m_fieldsView->setModel(m_fieldsProxy);
    connect(m_fieldsView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
    QHeaderView* header = m_fieldsView->horizontalHeader();
    header->setSectionResizeMode(FieldsModel::Value, QHeaderView::Stretch);
    header->setSectionResizeMode(FieldsModel::Normalized, QHeaderView::Stretch);
    header->setSectionResizeMode(FieldsModel::Name, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(FieldsModel::Confidence, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(FieldsModel::Status, QHeaderView::ResizeToContents);
    // Stored order (page, position) until the reviewer clicks a header.
    header->setSortIndicator(-1, Qt::AscendingOrder);
    m_fieldsView->setSortingEnabled(true);
    m_fieldsView->verticalHeader()->hide();
    m_tabs->addTab(m_fieldsView, tr("Fields"));
    clear();
}

QTableView* ResultsPanel::makeGrid()
{
    auto* grid = new ReviewGrid(this);
    grid->setSelectionMode(QAbstractItemView::SingleSelection);
    grid->setEditTriggers(QAbstractItemView::DoubleClicked);
    grid->setWordWrap(false);
    return grid;
}

void ResultsPanel::clear()
{
    m_selecting = true;
    rebuildTables({}, ReviewQueue());
    m_fields->setResults({}, ReviewQueue());
    m_empty->show();
    m_engine->hide();
    m_selecting = false;
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

void ResultsPanel::setResults(const storage::DocumentResults& results, const ReviewQueue& queue)
{
    const ReviewItem selected = currentItem();
    m_selecting = true;
    m_fields->setResults(results.fields, queue);
    bool sameTables = results.tables.size() == m_tables.size();
    for (size_t i = 0; sameTables && i < results.tables.size(); ++i)
        sameTables = results.tables[i].id == m_tables[i].second->table().id
                     && results.tables[i].cellIds == m_tables[i].second->table().cellIds;
    if (sameTables) {
        for (size_t i = 0; i < results.tables.size(); ++i)
            m_tables[i].second->setTable(results.tables[i], queue);
    } else {
        rebuildTables(results.tables, queue);
    }
    m_empty->setVisible(results.fields.empty() && results.tables.empty());
    showEngines(results);
    m_selecting = false;
    if (!selected.isNull() && currentItem() != selected)
        selectItem(selected);
}

void ResultsPanel::rebuildTables(const std::vector<storage::StoredTable>& tables, const ReviewQueue& queue)
{
    const int tab = m_tabs->currentIndex();
    for (const auto& [view, model] : m_tables) {
        m_tabs->removeTab(m_tabs->indexOf(view));
        delete view;
        delete model;
    }
    m_tables.clear();
    int number = 1;
    for (const storage::StoredTable& t : tables) {
        auto* model = new CellsModel(this);
        model->setTable(t, queue);
        connect(model, &CellsModel::valueEdited, this, &ResultsPanel::valueEdited);
        QTableView* grid = makeGrid();
        grid->setObjectName(QStringLiteral("table%1").arg(t.id));
        grid->setModel(model);
        for (const extract::Cell& c : t.table.cells) {
            if (c.rowSpan > 1 || c.colSpan > 1)
                grid->setSpan(c.row, c.col, c.rowSpan, c.colSpan);
        }
        grid->resizeColumnsToContents();
        connect(grid->selectionModel(), &QItemSelectionModel::currentChanged, this,
                [this](const QModelIndex& current) { onCurrentChanged(current); });
        m_tabs->addTab(grid, t.table.name.isEmpty() ? tr("Table %1").arg(number) : t.table.name);
        m_tables.emplace_back(grid, model);
        ++number;
    }
    if (tab >= 0 && tab < m_tabs->count())
        m_tabs->setCurrentIndex(tab);
}

QTableView* ResultsPanel::viewOf(const ReviewItem& item) const
{
    if (item.kind == ReviewKind::Field)
        return m_fields->rowOf(item.id) >= 0 ? m_fieldsView : nullptr;
    if (item.kind == ReviewKind::Cell) {
        for (const auto& [view, model] : m_tables) {
            if (model->indexOf(item.id).isValid())
                return view;
        }
    }
    return nullptr;
}

QModelIndex ResultsPanel::valueIndex(const ReviewItem& item) const
{
    if (item.kind == ReviewKind::Field) {
        const int row = m_fields->rowOf(item.id);
        return row < 0 ? QModelIndex() : m_fieldsProxy->mapFromSource(m_fields->index(row, FieldsModel::Value));
    }
    if (item.kind == ReviewKind::Cell) {
        for (const auto& [view, model] : m_tables) {
            if (const QModelIndex at = model->indexOf(item.id); at.isValid())
                return at;
        }
    }
    return {};
}

void ResultsPanel::commitEditorsExcept(const QTableView* keep)
{
    std::vector<QTableView*> views{m_fieldsView};
    for (const auto& entry : m_tables)
        views.push_back(entry.first);
    for (QTableView* v : views) {
        // Leaving the current index is what saves and closes an open editor.
        if (v != keep && isEditing(v))
            v->setCurrentIndex({});
    }
}

void ResultsPanel::selectItem(const ReviewItem& item)
{
    QTableView* view = viewOf(item);
    if (!view)
        return;
    m_selecting = true;
    commitEditorsExcept(view);
    m_tabs->setCurrentWidget(view);
    const QModelIndex at = valueIndex(item);
    view->setCurrentIndex(at);
    view->scrollTo(at);
    m_selecting = false;
}

ReviewItem ResultsPanel::currentItem() const
{
    const auto* view = qobject_cast<const QTableView*>(m_tabs->currentWidget());
    return view ? reviewItemAt(view->currentIndex()) : ReviewItem{};
}

bool ResultsPanel::editItem(const ReviewItem& item)
{
    QTableView* view = viewOf(item);
    if (!view)
        return false;
    selectItem(item);
    view->setFocus();
    view->edit(valueIndex(item));
    return isEditing(view);
}

void ResultsPanel::focusGrid()
{
    if (QWidget* w = m_tabs->currentWidget())
        w->setFocus();
}

void ResultsPanel::onCurrentChanged(const QModelIndex& current)
{
    const ReviewItem item = reviewItemAt(current);
    if (!m_selecting && !item.isNull())
        Q_EMIT itemSelected(item);
}

} // namespace folio::ui
