#include "ui/storyboard_panel.h"

#include "app/studio.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QUuid>
#include <QVBoxLayout>

namespace kinora::ui {

StoryboardPanel::StoryboardPanel(app::Studio* studio, QWidget* parent) : QWidget(parent), m_studio(studio)
{
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("storyboardTable"));
    m_table->setAccessibleName(tr("Shots"));
    m_table->setHorizontalHeaderLabels({tr("Prompt"), tr("Seconds"), tr("Join"), tr("Clip")});
    m_table->horizontalHeader()->setSectionResizeMode(PromptColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(SecondsColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(JoinColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ClipColumn, QHeaderView::ResizeToContents);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(true);
    m_add = new QPushButton(tr("&Add shot"), this);
    m_remove = new QPushButton(tr("Remove"), this);
    m_up = new QPushButton(tr("Up"), this);
    m_down = new QPushButton(tr("Down"), this);
    m_generate = new QPushButton(tr("&Generate all"), this);
    m_generate->setObjectName(QStringLiteral("generateAllButton"));
    m_generate->setToolTip(tr("Make every shot that has no clip yet, in order: a cut from its prompt, a continuing "
                              "shot as an extension of the shot before it. Each lands on the timeline as its own "
                              "clip as soon as it is made."));
    m_reroll = new QPushButton(tr("&Re-roll shot"), this);
    m_reroll->setToolTip(tr("Make the selected shot again with a new seed; the join into a shot that continues "
                            "from it is smoothed, and the other shots stay as they are"));
    m_total = new QLabel(this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_table, 1);
    auto* edit = new QHBoxLayout;
    edit->addWidget(m_add);
    edit->addWidget(m_remove);
    edit->addWidget(m_up);
    edit->addWidget(m_down);
    edit->addStretch(1);
    edit->addWidget(m_total);
    layout->addLayout(edit);
    auto* run = new QHBoxLayout;
    run->addWidget(m_generate);
    run->addWidget(m_reroll);
    layout->addLayout(run);

    connect(m_add, &QPushButton::clicked, this, &StoryboardPanel::addShot);
    connect(m_remove, &QPushButton::clicked, this, &StoryboardPanel::removeShot);
    connect(m_up, &QPushButton::clicked, this, [this] { moveShot(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveShot(1); });
    connect(m_generate, &QPushButton::clicked, this, [this] { m_studio->generateBoard(); });
    connect(m_reroll, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        const auto& shots = m_studio->document()->board().shots;
        if (row >= 0 && row < shots.size())
            m_studio->rerollShot(shots[row].id);
    });
    connect(m_table, &QTableWidget::cellChanged, this, &StoryboardPanel::onPromptEdited);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &StoryboardPanel::updateButtons);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int column) {
        const auto& shots = m_studio->document()->board().shots;
        if (column == ClipColumn && row < shots.size() && m_studio->document()->clip(shots[row].clipId))
            Q_EMIT clipRequested(shots[row].clipId);
    });
    connect(m_studio->document(), &app::ProjectDocument::changed, this, &StoryboardPanel::rebuild);
    connect(m_studio->jobs(), &app::JobManager::jobsChanged, this, &StoryboardPanel::updateStatus);
    connect(m_studio, &app::Studio::boardRunningChanged, this, &StoryboardPanel::updateButtons);
    rebuild();
}

void StoryboardPanel::commit(const app::Board& board, const QString& text)
{
    m_studio->document()->requestSetBoard(board, text);
}

void StoryboardPanel::rebuild()
{
    const app::Board& board = m_studio->document()->board();
    const int current = m_table->currentRow();
    m_rebuilding = true;
    m_table->setRowCount(static_cast<int>(board.shots.size()));
    double total = 0;
    for (int row = 0; row < board.shots.size(); ++row) {
        const app::BoardShot& shot = board.shots[row];
        total += shot.seconds;
        auto* prompt = m_table->item(row, PromptColumn);
        if (!prompt) {
            prompt = new QTableWidgetItem;
            m_table->setItem(row, PromptColumn, prompt);
        }
        if (prompt->text() != shot.prompt)
            prompt->setText(shot.prompt);
        prompt->setToolTip(tr("Shot %1: double-click to edit its prompt").arg(row + 1));

        auto* seconds = qobject_cast<QDoubleSpinBox*>(m_table->cellWidget(row, SecondsColumn));
        if (!seconds) {
            seconds = new QDoubleSpinBox(m_table);
            seconds->setRange(0.5, app::kMaxShotSeconds);
            seconds->setDecimals(1);
            seconds->setSingleStep(0.5);
            seconds->setSuffix(tr(" s"));
            seconds->setAccessibleName(tr("Seconds"));
            seconds->setKeyboardTracking(false);
            m_table->setCellWidget(row, SecondsColumn, seconds);
            connect(seconds, &QDoubleSpinBox::valueChanged, this, [this, seconds](double value) {
                if (m_rebuilding)
                    return;
                app::Board board = m_studio->document()->board();
                for (int r = 0; r < m_table->rowCount(); ++r)
                    if (m_table->cellWidget(r, SecondsColumn) == seconds && r < board.shots.size()) {
                        board.shots[r].seconds = value;
                        commit(board, tr("Shot length"));
                    }
            });
        }
        seconds->setValue(shot.seconds);

        auto* join = qobject_cast<QComboBox*>(m_table->cellWidget(row, JoinColumn));
        if (!join) {
            join = new QComboBox(m_table);
            join->addItem(tr("Cut"));
            join->addItem(tr("Continue"));
            join->setAccessibleName(tr("Join"));
            join->setToolTip(tr("Continue: the shot flows on from the one before it (the same objects unless its "
                                "prompt changes them). Cut: a new scene."));
            m_table->setCellWidget(row, JoinColumn, join);
            connect(join, &QComboBox::currentIndexChanged, this, [this, join](int index) {
                if (m_rebuilding)
                    return;
                app::Board board = m_studio->document()->board();
                for (int r = 0; r < m_table->rowCount(); ++r)
                    if (m_table->cellWidget(r, JoinColumn) == join && r < board.shots.size()) {
                        board.shots[r].continues = r > 0 && index == 1;
                        commit(board, tr("Shot join"));
                    }
            });
        }
        join->setCurrentIndex(shot.continues ? 1 : 0);
        join->setEnabled(row > 0); // the first shot is always a cut

        auto* clip = m_table->item(row, ClipColumn);
        if (!clip) {
            clip = new QTableWidgetItem;
            clip->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            m_table->setItem(row, ClipColumn, clip);
        }
    }
    m_total->setText(tr("%n shot(s), %1 s", nullptr, static_cast<int>(board.shots.size())).arg(total, 0, 'f', 1));
    if (current >= 0 && current < m_table->rowCount())
        m_table->setCurrentCell(current, PromptColumn);
    m_rebuilding = false;
    updateStatus();
}

// Each shot's state: made (its clip on the timeline), being made, queued, or not made.
void StoryboardPanel::updateStatus()
{
    const app::Board& board = m_studio->document()->board();
    m_rebuilding = true;
    for (int row = 0; row < board.shots.size() && row < m_table->rowCount(); ++row) {
        const app::BoardShot& shot = board.shots[row];
        QString state = tr("not made");
        QString tip = tr("Generate all makes it");
        bool pending = false;
        for (const auto& job : m_studio->jobs()->jobs())
            if (job.spec.shotId == shot.id && !job.finished()) {
                state = job.state == app::JobState::Running ? tr("making…") : tr("queued");
                tip = job.spec.kind == app::JobKind::Reroll ? tr("Being made again") : tr("Being made");
                pending = true;
            }
        if (!pending) {
            if (const app::Clip* clip = m_studio->document()->clip(shot.clipId)) {
                state = tr("clip %1").arg(m_studio->document()->indexOf(shot.clipId) + 1);
                tip = tr("On the timeline, %1 frames (double-click to show it)").arg(clip->length());
            }
        }
        if (auto* item = m_table->item(row, ClipColumn)) {
            item->setText(state);
            item->setToolTip(tip);
        }
    }
    m_rebuilding = false;
    updateButtons();
}

void StoryboardPanel::updateButtons()
{
    const auto& shots = m_studio->document()->board().shots;
    const int row = m_table->currentRow();
    const bool selected = row >= 0 && row < shots.size();
    m_remove->setEnabled(selected);
    m_up->setEnabled(selected && row > 0);
    m_down->setEnabled(selected && row + 1 < shots.size());
    m_add->setEnabled(shots.size() < app::kMaxBoardShots);
    m_generate->setEnabled(!shots.isEmpty() && !m_studio->boardRunning());
    m_reroll->setEnabled(selected && m_studio->document()->clip(shots[row].clipId) != nullptr);
}

void StoryboardPanel::onPromptEdited(int row, int column)
{
    if (m_rebuilding || column != PromptColumn)
        return;
    app::Board board = m_studio->document()->board();
    if (row < 0 || row >= board.shots.size())
        return;
    const QString text = m_table->item(row, column)->text().trimmed();
    if (text.isEmpty()) { // a shot needs a prompt: put the old one back
        rebuild();
        return;
    }
    board.shots[row].prompt = text;
    commit(board, tr("Shot prompt"));
}

void StoryboardPanel::addShot()
{
    app::Board board = m_studio->document()->board();
    if (board.shots.size() >= app::kMaxBoardShots)
        return;
    if (board.shots.isEmpty())
        board.seed = m_studio->randomSeed();
    app::BoardShot shot;
    shot.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    shot.prompt = !board.shots.isEmpty()         ? board.shots.back().prompt
                  : !m_defaultPrompt.trimmed().isEmpty() ? m_defaultPrompt.trimmed()
                                                         : QStringLiteral("a red ball bouncing on a grass field");
    shot.seconds = board.shots.isEmpty() ? 4.0 : board.shots.back().seconds;
    shot.continues = !board.shots.isEmpty();
    const int row = m_table->currentRow();
    const int at = row >= 0 && row < board.shots.size() ? row + 1 : static_cast<int>(board.shots.size());
    board.shots.insert(at, shot);
    commit(board, tr("Add shot"));
    m_table->setCurrentCell(at, PromptColumn);
}

void StoryboardPanel::removeShot()
{
    app::Board board = m_studio->document()->board();
    const int row = m_table->currentRow();
    if (row < 0 || row >= board.shots.size())
        return;
    board.shots.removeAt(row);
    if (!board.shots.isEmpty())
        board.shots[0].continues = false;
    commit(board, tr("Remove shot"));
}

void StoryboardPanel::moveShot(int by)
{
    app::Board board = m_studio->document()->board();
    const int row = m_table->currentRow(), to = row + by;
    if (row < 0 || row >= board.shots.size() || to < 0 || to >= board.shots.size())
        return;
    board.shots.move(row, to);
    board.shots[0].continues = false;
    commit(board, tr("Move shot"));
    m_table->setCurrentCell(to, PromptColumn);
}

} // namespace kinora::ui
