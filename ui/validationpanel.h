#pragma once
// ValidationPanel: the document's checks at a glance (ui/validationreport.h) — each invoice
// check passed, failed or skipped with its numbers, why checks are incomplete, e-invoice
// disagreements, pages cut off or failed and the runs' notes. Clicking an entry (or Enter on
// it) asks the window to select and show the values involved. GUI thread only.

#include "ui/validationreport.h"

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace folio::ui {

class ValidationPanel : public QWidget {
    Q_OBJECT
public:
    explicit ValidationPanel(QWidget* parent = nullptr);

    void setEntries(std::vector<ValidationEntry> entries);
    const std::vector<ValidationEntry>& entries() const { return m_entries; }
    QTreeWidget* tree() const { return m_tree; }

Q_SIGNALS:
    void entryActivated(const std::vector<folio::ui::ReviewItem>& items, int page);

private:
    QTreeWidget* m_tree;
    QLabel* m_summary;
    std::vector<ValidationEntry> m_entries;
};

} // namespace folio::ui
