#include "ui/shortcuts_dialog.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace kinora::ui {

ShortcutsDialog::ShortcutsDialog(QWidget* parent)
    : QDialog(parent)
{
    m_intro = new QLabel(this);
    m_intro->setWordWrap(true);
    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("shortcutsTable"));
    m_table->setColumnCount(3);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_table->setAlternatingRowColors(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(560, 600);
    retranslateUi();
}

QList<ShortcutEntry> ShortcutsDialog::entries()
{
    const QString generate = tr("Generate");
    const QString player = tr("Player");
    const QString timeline = tr("Timeline");
    const QString edit = tr("Edit");
    const QString project = tr("Project");
    using K = QKeySequence;
    return {
        { generate, tr("Queue a generation of the prompt"), { K(Qt::CTRL | Qt::Key_Return) } },
        { generate, tr("Re-roll the selected clip (a new take, new seed)"), { K(Qt::Key_R) } },
        { generate, tr("Extend the selected clip forwards"), { K(Qt::CTRL | Qt::Key_BracketRight) } },
        { generate, tr("Extend the selected clip backwards"), { K(Qt::CTRL | Qt::Key_BracketLeft) } },
        { generate, tr("Bridge the selected clip to the next one"), { K(Qt::CTRL | Qt::Key_B) } },
        { generate, tr("Regenerate the frames between the marks"), { K(Qt::CTRL | Qt::SHIFT | Qt::Key_R) } },
        { player, tr("Play or pause"), { K(Qt::Key_Space) } },
        { player, tr("Previous or next frame"), { K(Qt::Key_Left), K(Qt::Key_Right) } },
        { player, tr("Play backwards; press again to go faster"), { K(Qt::Key_J) } },
        { player, tr("Stop"), { K(Qt::Key_K) } },
        { player, tr("Play forwards; press again to go faster"), { K(Qt::Key_L) } },
        { player, tr("Set the in mark"), { K(Qt::Key_I) } },
        { player, tr("Set the out mark"), { K(Qt::Key_O) } },
        { timeline, tr("Split the clip at the playhead"), { K(Qt::Key_S) } },
        { timeline, tr("Draft mode on or off (a quarter of the steps)"), { K(Qt::CTRL | Qt::SHIFT | Qt::Key_D) } },
        { timeline, tr("Promote the selected draft, or every draft, to final quality"),
          { K(Qt::CTRL | Qt::SHIFT | Qt::Key_P) } },
        { timeline, tr("Ripple delete the selected clip"), { K(Qt::Key_Delete) } },
        { timeline, tr("Zoom in"), { K(Qt::Key_Equal) } },
        { timeline, tr("Zoom out"), { K(Qt::Key_Minus) } },
        { edit, tr("Undo"), { K(Qt::CTRL | Qt::Key_Z) } },
        { edit, tr("Redo"), { K(Qt::CTRL | Qt::SHIFT | Qt::Key_Z) } },
        { project, tr("New project"), { K(Qt::CTRL | Qt::Key_N) } },
        { project, tr("Open a project"), { K(Qt::CTRL | Qt::Key_O) } },
        { project, tr("Save"), { K(Qt::CTRL | Qt::Key_S) } },
        { project, tr("Save as"), { K(Qt::CTRL | Qt::SHIFT | Qt::Key_S) } },
        { project, tr("Import a video file as a clip"), { K(Qt::CTRL | Qt::Key_I) } },
        { project, tr("Export a video"), { K(Qt::CTRL | Qt::Key_E) } },
        { project, tr("Show this list of shortcuts"), { K(Qt::CTRL | Qt::Key_Slash) } },
    };
}

void ShortcutsDialog::retranslateUi()
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_intro->setText(tr("Player keys work while the player has the focus; click the picture first."));
    m_table->setHorizontalHeaderLabels({ tr("Where"), tr("Action"), tr("Keys") });
    const QList<ShortcutEntry> list = entries();
    m_table->setRowCount(list.size());
    for (int row = 0; row < list.size(); ++row) {
        const ShortcutEntry& entry = list[row];
        QStringList keys;
        for (const QKeySequence& k : entry.keys)
            keys << k.toString(QKeySequence::NativeText);
        m_table->setItem(row, 0, new QTableWidgetItem(entry.area));
        m_table->setItem(row, 1, new QTableWidgetItem(entry.action));
        auto* keyItem = new QTableWidgetItem(keys.join(tr(" or ")));
        QFont bold = keyItem->font();
        bold.setBold(true);
        keyItem->setFont(bold);
        m_table->setItem(row, 2, keyItem);
    }
}

void ShortcutsDialog::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

} // namespace kinora::ui
