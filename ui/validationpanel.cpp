#include "ui/validationpanel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace folio::ui {

namespace {

    constexpr int kIndexRole = Qt::UserRole;

    QString mark(ValidationEntry::Outcome o)
    {
        switch (o) {
        case ValidationEntry::Outcome::Passed:
            return QStringLiteral("✓ passed");
        case ValidationEntry::Outcome::Failed:
            return QStringLiteral("✗ failed");
        case ValidationEntry::Outcome::Skipped:
            return QStringLiteral("– skipped");
        case ValidationEntry::Outcome::Note:
            break;
        }
        return QStringLiteral("note");
    }

    QColor tint(ValidationEntry::Outcome o)
    {
        switch (o) {
        case ValidationEntry::Outcome::Passed:
            return QColor(220, 245, 222);
        case ValidationEntry::Outcome::Failed:
            return QColor(255, 214, 204);
        case ValidationEntry::Outcome::Skipped:
            return QColor(255, 243, 224);
        case ValidationEntry::Outcome::Note:
            break;
        }
        return {};
    }

} // namespace

ValidationPanel::ValidationPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setMargin(4);
    layout->addWidget(m_summary);
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("validationTree"));
    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({tr("Result"), tr("Check"), tr("Details")});
    m_tree->setRootIsDecorated(false);
    m_tree->setWordWrap(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(true);
    layout->addWidget(m_tree, 1);
    const auto activate = [this](QTreeWidgetItem* item) {
        if (!item)
            return;
        const ValidationEntry& e = m_entries[size_t(item->data(0, kIndexRole).toInt())];
        Q_EMIT entryActivated(e.items, e.page);
    };
    connect(m_tree, &QTreeWidget::itemClicked, this, activate);
    connect(m_tree, &QTreeWidget::itemActivated, this, activate);
    setEntries({});
}

void ValidationPanel::setEntries(std::vector<ValidationEntry> entries)
{
    m_entries = std::move(entries);
    m_tree->clear();
    int failed = 0;
    int skipped = 0;
    int passed = 0;
    for (size_t i = 0; i < m_entries.size(); ++i) {
        const ValidationEntry& e = m_entries[i];
        auto* item = new QTreeWidgetItem(m_tree, {mark(e.outcome), e.title, e.detail});
        item->setData(0, kIndexRole, int(i));
        item->setToolTip(2, e.detail);
        if (const QColor c = tint(e.outcome); c.isValid())
            item->setBackground(0, c);
        failed += e.outcome == ValidationEntry::Outcome::Failed;
        skipped += e.outcome == ValidationEntry::Outcome::Skipped;
        passed += e.outcome == ValidationEntry::Outcome::Passed;
    }
    m_summary->setText(m_entries.empty() ? tr("No checks for this document: checks run on invoice extractions.")
                                         : tr("%1 failed · %2 skipped · %3 passed. Click one to see its values.")
                                               .arg(failed)
                                               .arg(skipped)
                                               .arg(passed));
}

} // namespace folio::ui
