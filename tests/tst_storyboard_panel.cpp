// The studio's storyboard panel (ui/storyboard_panel.h) driven as a user would, on a tiny
// model pack, offscreen.

#include "studio_fixture.h"
#include "ui/storyboard_panel.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QDoubleSpinBox>
#include <QFile>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace kinora;
using namespace kinora::app;
using namespace kinora::ui;

class TestStoryboardPanel : public test::StudioFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void storyboardShotByShot();
    void boardRunGoesOnAfterCrash();

};

void TestStoryboardPanel::initTestCase() { makeTinyPack(); }

void TestStoryboardPanel::init()
{
    newSettings();
    startStudio();
}

void TestStoryboardPanel::cleanup() { closeStudio(); }

// The storyboard panel: three shots written in its table (a cut, a shot that continues it,
// a cut), Generate all makes each as its own clip in order; re-rolling the first shot gives
// its clip a new take and smooths the join into the shot that continues from it, leaving
// the other shots' takes byte-identical; the board is undoable and saved with the project.
void TestStoryboardPanel::storyboardShotByShot()
{
    auto* panel = m_window->storyboardPanel();
    auto* doc = m_studio->document();
    auto* table = panel->table();
    for (int i = 0; i < 3; ++i)
        QTest::mouseClick(panel->addButton(), Qt::LeftButton);
    QCOMPARE(doc->board().shots.size(), 3);
    QCOMPARE(table->rowCount(), 3);
    const QStringList prompts{QStringLiteral("a red ball bouncing on a grass field"),
                              QStringLiteral("a red ball moving to the left on a grass field"),
                              QStringLiteral("a blue square moving to the right on a black background")};
    for (int r = 0; r < 3; ++r) {
        table->item(r, StoryboardPanel::PromptColumn)->setText(prompts[r]);
        qobject_cast<QDoubleSpinBox*>(table->cellWidget(r, StoryboardPanel::SecondsColumn))->setValue(2.0);
    }
    auto* join = qobject_cast<QComboBox*>(table->cellWidget(2, StoryboardPanel::JoinColumn));
    QVERIFY(join && join->isEnabled());
    QVERIFY(!qobject_cast<QComboBox*>(table->cellWidget(0, StoryboardPanel::JoinColumn))->isEnabled());
    join->setCurrentIndex(0); // a cut
    const auto& shots = doc->board().shots;
    QCOMPARE(shots[1].prompt, prompts[1]);
    QCOMPARE(shots[2].seconds, 2.0);
    QVERIFY(!shots[0].continues && shots[1].continues && !shots[2].continues);
    // Each edit is one undo step.
    doc->undoStack()->undo();
    QVERIFY(doc->board().shots[2].continues);
    QCOMPARE(join->currentIndex(), 1);
    doc->undoStack()->redo();
    QVERIFY(!doc->board().shots[2].continues);

    QTest::mouseClick(panel->generateButton(), Qt::LeftButton);
    QVERIFY(m_studio->boardRunning());
    QTRY_VERIFY_WITH_TIMEOUT(!m_studio->boardRunning(), 180000);
    QCOMPARE(doc->clips().size(), 3);
    const quint64 seed = doc->board().seed;
    for (int i = 0; i < 3; ++i) {
        const Clip* clip = doc->clip(shots[i].clipId);
        QVERIFY2(clip, qPrintable(QString("shot %1 has no clip").arg(i + 1)));
        QCOMPARE(doc->indexOf(clip->id), i);
        QCOMPARE(clip->length(), 16);
        QCOMPARE(clip->take().seed(), seed + quint64(i));
        QCOMPARE(table->item(i, StoryboardPanel::ClipColumn)->text(), QStringLiteral("clip %1").arg(i + 1));
    }
    // The shot that continues is an extension of the first shot's frames, showing its own.
    const Clip second = *doc->clip(shots[1].clipId);
    QVERIFY(second.take().operation().startsWith(QLatin1String("extend")));
    QCOMPARE(second.take().prompt(), prompts[1]);
    QCOMPARE(second.trimIn, second.take().frames - 16);

    auto bytes = [&](const Clip& c) {
        QFile f(doc->mediaPath(c.take()));
        return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256) : QByteArray();
    };
    const QByteArray secondBytes = bytes(second), thirdBytes = bytes(*doc->clip(shots[2].clipId));
    QVERIFY(!secondBytes.isEmpty());
    table->setCurrentCell(0, StoryboardPanel::PromptColumn);
    QVERIFY(panel->rerollButton()->isEnabled());
    QTest::mouseClick(panel->rerollButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(doc->clip(shots[0].clipId)->takes.size(), 2, 120000);
    QVERIFY(doc->clip(shots[0].clipId)->take().seed() != seed);
    // Then the join into the second shot is smoothed: a bridge between them, 4 frames off each side.
    QTRY_COMPARE_WITH_TIMEOUT(doc->clips().size(), 4, 120000);
    QCOMPARE(doc->clips()[1].take().operation(), QStringLiteral("bridge"));
    const Clip* secondNow = doc->clip(shots[1].clipId);
    QCOMPARE(doc->indexOf(secondNow->id), 2);
    QCOMPARE(secondNow->takes.size(), 1);
    QCOMPARE(secondNow->trimIn, second.trimIn + Studio::kSmoothFrames);
    QCOMPARE(bytes(*secondNow), secondBytes);
    QCOMPARE(bytes(*doc->clip(shots[2].clipId)), thirdBytes);
    QCOMPARE(doc->clip(shots[2].clipId)->takes.size(), 1);

    // Saved with the project and back on opening it.
    const Board before = doc->board();
    const QString path = m_dir->filePath(QStringLiteral("board.kinora"));
    QVERIFY(m_window->saveProjectTo(path));
    m_window->newProject();
    QVERIFY(doc->board().shots.isEmpty());
    QCOMPARE(table->rowCount(), 0);
    QVERIFY(m_window->openProjectFile(path));
    QVERIFY(doc->board() == before);
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(table->item(1, StoryboardPanel::PromptColumn)->text(), prompts[1]);
}

// Killed while Generate all is making the first of two shots: restoring the session
// brings back the board and its queued shot, and the run goes on to make the second.
void TestStoryboardPanel::boardRunGoesOnAfterCrash()
{
    auto* panel = m_window->storyboardPanel();
    for (int i = 0; i < 2; ++i)
        QTest::mouseClick(panel->addButton(), Qt::LeftButton);
    const QStringList prompts{QStringLiteral("a green star spinning on a beige background"),
                              QStringLiteral("a yellow box falling on a black background")};
    for (int r = 0; r < 2; ++r)
        panel->table()->item(r, StoryboardPanel::PromptColumn)->setText(prompts[r]);
    qobject_cast<QComboBox*>(panel->table()->cellWidget(1, StoryboardPanel::JoinColumn))->setCurrentIndex(0); // a cut
    QTest::mouseClick(panel->generateButton(), Qt::LeftButton);
    QVERIFY(m_studio->boardRunning());
    m_studio->waitForRecoveryWrites(); // a queued job is written to the recovery copy at once
    // "Crash": the window and studio go away without a clean shutdown.
    m_window.reset();
    m_studio.reset();
    startStudio();
    QVERIFY(m_studio->hasRecovery());
    QVERIFY(!m_studio->boardRunning());
    QVERIFY(m_studio->restoreRecovery().ok());
    auto* doc = m_studio->document();
    QCOMPARE(doc->board().shots.size(), 2);
    QVERIFY(m_studio->boardRunning());
    QTRY_VERIFY_WITH_TIMEOUT(!m_studio->boardRunning(), 180000);
    for (int i = 0; i < 2; ++i) {
        const Clip* clip = doc->clip(doc->board().shots[i].clipId);
        QVERIFY2(clip, qPrintable(QString("shot %1 has no clip").arg(i + 1)));
        QCOMPARE(clip->take().prompt(), prompts[i]);
        QCOMPARE(clip->take().seed(), doc->board().seed + quint64(i));
    }
}

QTEST_MAIN(TestStoryboardPanel)
#include "tst_storyboard_panel.moc"
