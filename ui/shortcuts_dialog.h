#pragma once

// Help > Keyboard Shortcuts: every shortcut of the studio in one table.

#include <QDialog>
#include <QKeySequence>
#include <QList>
#include <QString>

class QLabel;
class QTableWidget;

namespace kinora::ui {

struct ShortcutEntry {
    QString area; // "Generate", "Player", "Timeline", "Project", "Edit"
    QString action; // translated
    QList<QKeySequence> keys;
};

class ShortcutsDialog : public QDialog {
    Q_OBJECT

public:
    explicit ShortcutsDialog(QWidget* parent = nullptr);

    // The table's contents, translated.
    static QList<ShortcutEntry> entries();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();

    QLabel* m_intro = nullptr;
    QTableWidget* m_table = nullptr;
};

} // namespace kinora::ui
