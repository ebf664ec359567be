// The prompt editor against the real prompt expander, safety check and shapes-world
// renderer (offscreen).

#include "prompt/prompt.h"
#include "ui/prompt_editor.h"
#include "ui/prompt_highlighter.h"
#include "ui/vocabulary_chips.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QLineEdit>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolButton>
#include <QTranslator>

using kinora::prompt::WordKind;
using kinora::ui::PromptEditor;
using kinora::ui::PromptRequest;

class TestPromptEditor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void analysisWaitsForTypingToPause();
    void typingUpdatesExpandedLine();
    void sketchShowsTheScene();
    void unknownWordMarked();
    void vocabularyWordIsKnown();
    void chipInsertsOrReplaces_data();
    void chipInsertsOrReplaces();
    void seedModes_data();
    void seedModes();
    void lastUsedSeedCopiedBack();
    void seedFieldShowsARandomSeed();
    void ctrlEnterEmits();
    void ctrlEnterFromSpinBoxEmits();
    void unsafePromptDisablesGenerate();
    void emptyPromptCannotGenerate();
    void requestCarriesSettings();
    void historyKeepsRecentPrompts();
    void germanTranslation();
    void screenshot();

private:
    static QPlainTextEdit* promptEdit(PromptEditor& editor)
    {
        return editor.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"));
    }
    static QPushButton* generateButton(PromptEditor& editor)
    {
        return editor.findChild<QPushButton*>(QStringLiteral("generateButton"));
    }
    // The highlighter's format at a position of the prompt's first line.
    static QTextCharFormat formatAt(PromptEditor& editor, int position)
    {
        const QTextBlock block = promptEdit(editor)->document()->firstBlock();
        for (const QTextLayout::FormatRange& range : block.layout()->formats())
            if (position >= range.start && position < range.start + range.length)
                return range.format;
        return {};
    }
};

void TestPromptEditor::typingUpdatesExpandedLine()
{
    PromptEditor editor;
    editor.setSeedMode(PromptEditor::SeedMode::Fixed);
    editor.setSeed(42);
    QVERIFY(editor.expandedPrompt().isEmpty());
    QVERIFY(!editor.canGenerate());

    QTest::keyClicks(promptEdit(editor), "a crimson cube rising");
    const auto expected = kinora::prompt::expandPrompt("a crimson cube rising", 42);
    QVERIFY(expected.ok());
    QCOMPARE(editor.expandedPrompt(), QString::fromStdString(expected->caption));
    QVERIFY2(editor.expandedPrompt().startsWith(QLatin1String("a red square moving up")),
        qPrintable(editor.expandedPrompt()));
    auto* label = editor.findChild<QLabel*>(QStringLiteral("expandedLabel"));
    QVERIFY(label->text().contains(QLatin1String("a red square moving up")));
    QVERIFY(editor.canGenerate());

    // More typing changes the line at once.
    QTest::keyClicks(promptEdit(editor), " on grass");
    QVERIFY2(editor.expandedPrompt().endsWith(QLatin1String("on a grass field background")),
        qPrintable(editor.expandedPrompt()));
    QVERIFY(label->text().contains(QLatin1String("grass field")));
}

void TestPromptEditor::sketchShowsTheScene()
{
    PromptEditor editor;
    editor.setPrompt(QStringLiteral("a large blue box staying still on a beige background"));
    const QImage sketch = editor.sketch();
    QCOMPARE(sketch.size(), QSize(128, 128));
    // A large (40 px) box in the world's blue on the world's beige.
    const auto count = [](const QImage& image, const QColor& colour) {
        int n = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                n += image.pixelColor(x, y) == colour;
        return n;
    };
    QVERIFY2(count(sketch, QColor(40, 80, 230)) > 1200,
        qPrintable(QString::number(count(sketch, QColor(40, 80, 230)))));
    QVERIFY(count(sketch, QColor(230, 215, 180)) > 128 * 128 - 40 * 40 - 200);

    editor.setPrompt(QStringLiteral("a small yellow box staying still on a navy background"));
    const int yellow = count(editor.sketch(), QColor(245, 210, 30));
    QVERIFY2(yellow > 150 && yellow <= 16 * 16, qPrintable(QString::number(yellow)));
    QCOMPARE(count(editor.sketch(), QColor(40, 80, 230)), 0);
}

void TestPromptEditor::unknownWordMarked()
{
    PromptEditor editor;
    editor.setPrompt(QStringLiteral("a red zorp ball"));
    QCOMPARE(editor.unknownWords(), QStringList { QStringLiteral("zorp") });
    const QTextCharFormat zorp = formatAt(editor, 6);
    QCOMPARE(zorp.underlineStyle(), QTextCharFormat::SpellCheckUnderline);
    QCOMPARE(zorp, kinora::ui::PromptHighlighter::unknownFormat());
    // A world word stands out differently, a stop word not at all.
    QCOMPARE(formatAt(editor, 2), kinora::ui::PromptHighlighter::worldWordFormat());
    QCOMPARE(formatAt(editor, 12), kinora::ui::PromptHighlighter::worldWordFormat());
    QCOMPARE(formatAt(editor, 0), QTextCharFormat());
    auto* notes = editor.findChild<QLabel*>(QStringLiteral("notesLabel"));
    QVERIFY(notes->text().contains(QLatin1String("zorp")));

    // Non-ASCII text before the word: spans are UTF-16 positions, not UTF-8 bytes.
    editor.setPrompt(QStringLiteral("a r\u00e9d zorp"));
    QCOMPARE(formatAt(editor, 6), kinora::ui::PromptHighlighter::unknownFormat());
    QCOMPARE(formatAt(editor, 5), QTextCharFormat());
}

void TestPromptEditor::vocabularyWordIsKnown()
{
    PromptEditor editor;
    editor.setPrompt(QStringLiteral("a red zorp ball"));
    editor.setVocabulary({ QStringLiteral("Zorp"), QStringLiteral("ball") });
    QVERIFY(editor.unknownWords().isEmpty());
    QCOMPARE(formatAt(editor, 6).underlineStyle(), QTextCharFormat::NoUnderline);
}

void TestPromptEditor::chipInsertsOrReplaces_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("chip");
    QTest::addColumn<QString>("expected");
    const int colour = int(WordKind::Colour), shape = int(WordKind::Shape), size = int(WordKind::Size),
              motion = int(WordKind::Motion), background = int(WordKind::Background);
    QTest::newRow("replace colour") << "a crimson ball bouncing" << colour << "blue"
                                    << "a blue ball bouncing";
    QTest::newRow("insert colour") << "a ball bouncing" << colour << "green"
                                   << "a green ball bouncing";
    QTest::newRow("colour into empty") << "" << colour << "red"
                                       << "a red";
    QTest::newRow("replace shape") << "a red orb" << shape << "star"
                                   << "a red star";
    QTest::newRow("insert shape") << "a red" << shape << "diamond"
                                  << "a red diamond";
    QTest::newRow("insert size") << "a red ball" << size << "large"
                                 << "a large red ball";
    QTest::newRow("replace size") << "a tiny red ball" << size << "large"
                                  << "a large red ball";
    QTest::newRow("insert motion") << "a red ball on a beige background" << motion << "left"
                                   << "a red ball moving to the left on a beige background";
    QTest::newRow("replace motion") << "a red ball moves left" << motion << "spin"
                                    << "a red ball spinning";
    QTest::newRow("replace background") << "a red ball over a night-sky" << background << "sunset"
                                        << "a red ball over a sunset";
    QTest::newRow("insert background") << "a red ball" << background << "grass field"
                                       << "a red ball on a grass field background";
}

void TestPromptEditor::chipInsertsOrReplaces()
{
    QFETCH(QString, prompt);
    QFETCH(int, kind);
    QFETCH(QString, chip);
    QFETCH(QString, expected);
    PromptEditor editor;
    editor.setPrompt(prompt);
    auto* chips = editor.findChild<kinora::ui::VocabularyChips*>();
    QVERIFY(chips);
    QToolButton* button = chips->chip(static_cast<WordKind>(kind), chip);
    QVERIFY2(button, qPrintable(chip));
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(editor.prompt(), expected);
    // The expander reads the new word.
    if (kind == int(WordKind::Motion)) {
        const auto phrase
            = chip == QLatin1String("spin") ? QLatin1String("spinning") : QLatin1String("moving to the left");
        QVERIFY2(editor.expandedPrompt().contains(phrase), qPrintable(editor.expandedPrompt()));
    } else {
        QVERIFY2(editor.expandedPrompt().contains(chip), qPrintable(editor.expandedPrompt()));
    }
}

void TestPromptEditor::seedModes_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("fixed") << int(PromptEditor::SeedMode::Fixed);
    QTest::newRow("random") << int(PromptEditor::SeedMode::Random);
    QTest::newRow("increment") << int(PromptEditor::SeedMode::Increment);
}

void TestPromptEditor::seedModes()
{
    QFETCH(int, mode);
    PromptEditor editor;
    editor.setPrompt(QStringLiteral("a purple star orbiting"));
    editor.setSeedMode(static_cast<PromptEditor::SeedMode>(mode));
    editor.setSeed(1000);
    QSignalSpy spy(&editor, &PromptEditor::generateRequested);
    QTest::mouseClick(generateButton(editor), Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
    const auto request = spy.at(0).at(0).value<PromptRequest>();
    QCOMPARE(request.seed, quint64(1000));
    QCOMPARE(request.prompt, QStringLiteral("a purple star orbiting"));
    QCOMPARE(request.expanded,
        QString::fromStdString(kinora::prompt::expandPrompt("a purple star orbiting", 1000)->caption));

    switch (static_cast<PromptEditor::SeedMode>(mode)) {
    case PromptEditor::SeedMode::Fixed:
        QCOMPARE(editor.seed(), quint64(1000));
        break;
    case PromptEditor::SeedMode::Random: {
        // Two draws both hitting 1000 would be a one in 2^64 event.
        QTest::mouseClick(generateButton(editor), Qt::LeftButton);
        QCOMPARE(spy.size(), 2);
        QVERIFY(spy.at(1).at(0).value<PromptRequest>().seed != 1000 || editor.seed() != 1000);
        QVERIFY(editor.seed() != spy.at(1).at(0).value<PromptRequest>().seed);
        break;
    }
    case PromptEditor::SeedMode::Increment:
        QCOMPARE(editor.seed(), quint64(1001));
        QTest::mouseClick(generateButton(editor), Qt::LeftButton);
        QCOMPARE(spy.at(1).at(0).value<PromptRequest>().seed, quint64(1001));
        QCOMPARE(editor.seed(), quint64(1002));
        break;
    }
}

void TestPromptEditor::lastUsedSeedCopiedBack()
{
    PromptEditor editor;
    auto* use = editor.findChild<QToolButton*>(QStringLiteral("useLastSeedButton"));
    QVERIFY(!use->isEnabled());
    editor.setSeed(5);
    editor.setLastUsedSeed(987654321012ull);
    QVERIFY(editor.findChild<QLabel*>(QStringLiteral("lastSeedLabel"))
                ->text()
                .contains(QLatin1String("987654321012")));
    QCOMPARE(editor.seed(), quint64(5));
    QTest::mouseClick(use, Qt::LeftButton);
    QCOMPARE(editor.seed(), quint64(987654321012ull));
}

void TestPromptEditor::seedFieldShowsARandomSeed()
{
    // At the narrowest the layout allows, a ten-digit random seed still fits in the field.
    PromptEditor editor;
    editor.setModelDirs({ QStringLiteral("/opt/kinora/models/kinora-shapes-v1") }, QString());
    editor.setLastUsedSeed(4294967295ull);
    editor.setSeed(4294967295ull);
    editor.resize(editor.minimumSizeHint().width(), 620);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    auto* field = editor.findChild<QLineEdit*>(QStringLiteral("seedEdit"));
    QCOMPARE(field->text(), QStringLiteral("4294967295"));
    const int needed = field->fontMetrics().horizontalAdvance(field->text());
    const int shown = field->contentsRect().width() - field->textMargins().left() - field->textMargins().right();
    QVERIFY2(shown > needed, qPrintable(QString("%1 px for a %2 px seed").arg(shown).arg(needed)));
}

void TestPromptEditor::ctrlEnterEmits()
{
    PromptEditor editor;
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QPlainTextEdit* edit = promptEdit(editor);
    edit->setFocus();
    QTest::keyClicks(edit, "a white diamond falling");
    QSignalSpy spy(&editor, &PromptEditor::generateRequested);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(editor.prompt(), QStringLiteral("a white diamond falling")); // no new line typed
    QTest::keyClick(edit, Qt::Key_Enter, Qt::ControlModifier | Qt::KeypadModifier);
    QCOMPARE(spy.size(), 2);
    // A plain Return is a new line, not a generation.
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(spy.size(), 2);
}

void TestPromptEditor::ctrlEnterFromSpinBoxEmits()
{
    PromptEditor editor;
    editor.setPrompt(QStringLiteral("a green triangle shrinking"));
    editor.show();
    QApplication::setActiveWindow(&editor);
    QVERIFY(QTest::qWaitForWindowActive(&editor));
    auto* steps = editor.findChild<QSpinBox*>(QStringLiteral("stepsSpin"));
    steps->setFocus();
    QSignalSpy spy(&editor, &PromptEditor::generateRequested);
    QTest::keyClick(steps, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(spy.size(), 1);
}

void TestPromptEditor::unsafePromptDisablesGenerate()
{
    PromptEditor editor;
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    editor.setPrompt(QStringLiteral("a red ball"));
    QVERIFY(editor.canGenerate());
    QVERIFY(generateButton(editor)->isEnabled());

    editor.setPrompt(QStringLiteral("a knife stabbing a person"));
    QVERIFY(!kinora::prompt::checkSafety("a knife stabbing a person").allowed);
    QVERIFY(!editor.canGenerate());
    QVERIFY(!generateButton(editor)->isEnabled());
    QVERIFY(!editor.refusal().isEmpty());
    auto* refusal = editor.findChild<QLabel*>(QStringLiteral("refusalLabel"));
    QVERIFY(refusal->isVisible());
    QVERIFY(refusal->text().contains(editor.refusal()));

    QSignalSpy spy(&editor, &PromptEditor::generateRequested);
    QVERIFY(!editor.generate());
    promptEdit(editor)->setFocus();
    QTest::keyClick(promptEdit(editor), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(spy.size(), 0);

    // "shooting star" is innocent.
    editor.setPrompt(QStringLiteral("a shooting star moving right"));
    QVERIFY(editor.canGenerate());
    QVERIFY(!refusal->isVisible());
}

void TestPromptEditor::emptyPromptCannotGenerate()
{
    PromptEditor editor;
    editor.setPrompt(QStringLiteral("   "));
    QVERIFY(!editor.canGenerate());
    QSignalSpy spy(&editor, &PromptEditor::generateRequested);
    QVERIFY(!editor.generate());
    QCOMPARE(spy.size(), 0);
}

void TestPromptEditor::requestCarriesSettings()
{
    PromptEditor editor;
    const QString packA = QDir::temp().filePath(QStringLiteral("pack-a"));
    const QString packB = QDir::temp().filePath(QStringLiteral("pack-b"));
    editor.setModelDirs({ packA, packB }, packB);
    editor.setPrompt(QStringLiteral("  a cyan circle  "));
    editor.setNegativePrompt(QStringLiteral("blurry"));
    editor.setSeed(77);
    editor.setSteps(33);
    editor.setGuidance(7.5);
    editor.setSeconds(4.0);
    const PromptRequest request = editor.currentRequest();
    QCOMPARE(request.prompt, QStringLiteral("a cyan circle"));
    QCOMPARE(request.negative, QStringLiteral("blurry"));
    QCOMPARE(request.seed, quint64(77));
    QCOMPARE(request.steps, 33);
    QCOMPARE(request.guidance, 7.5);
    QCOMPARE(request.seconds, 4.0);
    QCOMPARE(request.modelDir, packB);
    QVERIFY(request.expanded.startsWith(QLatin1String("a cyan circle")));

    PromptRequest other = request;
    other.prompt = QStringLiteral("a red star");
    other.modelDir = packA;
    other.steps = 12;
    editor.setRequest(other);
    QCOMPARE(editor.currentRequest().modelDir, packA);
    QCOMPARE(editor.currentRequest().steps, 12);
    QCOMPARE(editor.prompt(), QStringLiteral("a red star"));
}

void TestPromptEditor::historyKeepsRecentPrompts()
{
    PromptEditor editor;
    QSignalSpy spy(&editor, &PromptEditor::promptHistoryChanged);
    for (int i = 0; i < PromptEditor::kHistorySize + 5; ++i) {
        editor.setPrompt(QStringLiteral("a red ball number %1").arg(i));
        QVERIFY(editor.generate());
    }
    editor.setPrompt(QStringLiteral("a red ball number 10"));
    QVERIFY(editor.generate());
    const QStringList history = editor.promptHistory();
    QCOMPARE(history.size(), PromptEditor::kHistorySize);
    QCOMPARE(history.first(), QStringLiteral("a red ball number 10"));
    QCOMPARE(history.at(1), QStringLiteral("a red ball number %1").arg(PromptEditor::kHistorySize + 4));
    QCOMPARE(history.count(QStringLiteral("a red ball number 10")), 1);
    QCOMPARE(spy.size(), PromptEditor::kHistorySize + 6);

    // Choosing an entry from the menu puts it back into the prompt.
    auto* button = editor.findChild<QToolButton*>(QStringLiteral("historyButton"));
    QVERIFY(button->isEnabled());
    const QList<QAction*> actions = button->menu()->actions();
    QVERIFY(actions.size() > 2);
    actions.at(1)->trigger();
    QCOMPARE(editor.prompt(), history.at(1));
}

void TestPromptEditor::germanTranslation()
{
    // translations/ embeds kinora_de.qm in kinora_ui; the app loads it the same way.
    QTranslator translator;
    QVERIFY(translator.load(QLocale(QLocale::German, QLocale::Germany), QStringLiteral("kinora"),
        QStringLiteral("_"), QStringLiteral(":/i18n")));
    QVERIFY(QCoreApplication::installTranslator(&translator));
    PromptEditor editor;
    editor.setPrompt(QStringLiteral("a red zorp ball"));
    QCOMPARE(generateButton(editor)->text(), QStringLiteral("Erzeugen"));
    auto* notes = editor.findChild<QLabel*>(QStringLiteral("notesLabel"));
    QVERIFY2(notes->text().contains(QStringLiteral("Nicht verstanden: zorp.")), qPrintable(notes->text()));
    auto* chips = editor.findChild<kinora::ui::VocabularyChips*>();
    QVERIFY(chips->chip(WordKind::Colour, QStringLiteral("red"))
                ->toolTip()
                .contains(QStringLiteral("in den Prompt")));

    // Removing the translator switches the live widget back (LanguageChange).
    QCoreApplication::removeTranslator(&translator);
    QTRY_COMPARE(generateButton(editor)->text(), QStringLiteral("Generate"));
}

void TestPromptEditor::screenshot()
{
    // Writes the editor's picture where KINORA_SCREENSHOT_DIR says (for the README).
    const QString dir = qEnvironmentVariable("KINORA_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("KINORA_SCREENSHOT_DIR not set");
    PromptEditor editor;
    editor.setModelDirs({ QStringLiteral("/opt/kinora/models/kinora-shapes-v1") }, QString());
    editor.setPrompt(QStringLiteral("a crimson orb bouncing slowly over a night-sky zorp"));
    editor.setLastUsedSeed(1234);
    editor.resize(560, 620);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QVERIFY(editor.grab().save(QDir(dir).filePath(QStringLiteral("prompt_editor.png"))));
}

// Typing does not run the expander and the sketch on every key: the labels follow once the
// typing pauses, and anything that reads the analysis gets it current at once.
void TestPromptEditor::analysisWaitsForTypingToPause()
{
    PromptEditor editor;
    auto* label = editor.findChild<QLabel*>(QStringLiteral("expandedLabel"));
    QVERIFY(label);
    const QString before = label->text();
    QTest::keyClicks(promptEdit(editor), "a red ball");
    QCOMPARE(label->text(), before); // not analysed yet
    QTRY_VERIFY_WITH_TIMEOUT(label->text() != before, 10 * PromptEditor::kAnalysisDelayMs);
    QVERIFY2(label->text().contains(QStringLiteral("red circle")), qPrintable(label->text()));
    // A read right after typing sees the new text.
    QTest::keyClicks(promptEdit(editor), " on grass");
    QVERIFY2(editor.expandedPrompt().endsWith(QLatin1String("on a grass field background")), qPrintable(editor.expandedPrompt()));
    QVERIFY(label->text().contains(QStringLiteral("grass field")));
}

QTEST_MAIN(TestPromptEditor)
#include "tst_prompt_editor.moc"
