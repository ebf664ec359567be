// Tests for core/prompt's safety check: prompts asking for what the seed lists as harmful
// (violence, gore, sexual content, hate, real people) are refused with a clear one-line
// message naming what matched, and nothing the expander understands is refused.

#include "prompt/lexicon.h"
#include "prompt/prompt.h"
#include "prompt/safety.h"
#include "world/world.h"

#include <QTest>

using namespace kinora;
using namespace kinora::prompt;

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

class TestSafety : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void safetyRefuses_data();
    void safetyRefuses();
    void safetyAllows_data();
    void safetyAllows();
    void lexiconPhrasesAreSafe();
};

void TestSafety::safetyRefuses_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("matched");
    QTest::newRow("gore") << "a red ball covered in gore"
                          << "gore"
                          << "gore";
    QTest::newRow("blood") << "a ball bleeding blood everywhere"
                           << "gore"
                           << "bleeding";
    QTest::newRow("dismembered") << "a Dismembered body"
                                 << "gore"
                                 << "Dismembered";
    QTest::newRow("kill") << "a square kills a circle"
                          << "violence"
                          << "kills";
    QTest::newRow("murder") << "murder scene on black"
                            << "violence"
                            << "murder";
    QTest::newRow("gun") << "a man with a gun"
                         << "violence"
                         << "gun";
    QTest::newRow("shoot people") << "the star shoots people"
                                  << "violence"
                                  << "shoots people";
    QTest::newRow("bomb") << "a bomb falling on a city"
                          << "violence"
                          << "bomb";
    QTest::newRow("nude") << "a nude woman"
                          << "sexual"
                          << "nude";
    QTest::newRow("porn") << "porn video"
                          << "sexual"
                          << "porn";
    QTest::newRow("naked, upper case") << "NAKED people dancing"
                                       << "sexual"
                                       << "NAKED";
    QTest::newRow("swastika") << "a red swastika spinning"
                              << "hate"
                              << "swastika";
    QTest::newRow("kkk") << "a kkk rally"
                         << "hate"
                         << "kkk";
    QTest::newRow("suicide") << "a ball commits suicide"
                             << "self-harm"
                             << "suicide";
    QTest::newRow("politician") << "Donald Trump dancing on a stage"
                                << "real-person"
                                << "Donald Trump";
    QTest::newRow("surname") << "obama waving"
                             << "real-person"
                             << "obama";
    QTest::newRow("celebrity") << "taylor swift singing"
                               << "real-person"
                               << "taylor swift";
    QTest::newRow("photo of a name") << "a photo of John Smith smiling"
                                     << "real-person"
                                     << "John Smith";
    QTest::newRow("deepfake") << "a deepfake of my boss"
                              << "real-person"
                              << "deepfake";
    QTest::newRow("punctuation") << "a ball... then: GORE!!"
                                 << "gore"
                                 << "GORE";
}

void TestSafety::safetyRefuses()
{
    QFETCH(QString, prompt);
    QFETCH(QString, category);
    QFETCH(QString, matched);
    const SafetyVerdict v = checkSafety(prompt.toStdString());
    QVERIFY(!v.allowed);
    QCOMPARE(q(v.category), category);
    QCOMPARE(q(v.matched), matched);
    QVERIFY(q(v.message).contains(QStringLiteral("\"") + matched + "\""));
    QVERIFY(!q(v.message).contains('\n'));
    const QString named = category == "sexual" ? "sexual content"
        : category == "hate"                   ? "hateful content"
        : category == "real-person"            ? "a real person"
                                               : category;
    QVERIFY2(q(v.message).contains(named), qPrintable(q(v.message)));
}

void TestSafety::safetyAllows_data()
{
    QTest::addColumn<QString>("prompt");
    for (const char* p : { "a red ball falls", "a star shoots across the screen",
             "a shooting star on a starry night", "a blood red ball bouncing", "a balloon blowing up",
             "a square explodes into pieces", "a ball crashes down", "a circle hits the floor",
             "a diamond drops dead center", "a killer whale shaped blob", "a gunmetal gray background",
             "a cannonball falling", "a ball on a photo of a Red Ball", "Swift blue ball",
             "a ball next to Bill's box", "a red ball and a blue cube on a sunset background",
             "a die rolling left", "the triangle attacks" }) {
        QTest::newRow(p) << p;
    }
    QTest::newRow("canonical") << q(world::canonicalCaption(world::sampleScene(5)));
}

void TestSafety::safetyAllows()
{
    QFETCH(QString, prompt);
    const SafetyVerdict v = checkSafety(prompt.toStdString());
    QVERIFY2(v.allowed, qPrintable(q(v.message)));
    QVERIFY(v.category.empty() && v.matched.empty() && v.message.empty());
}

// No word the expander understands may be refused on its own.
void TestSafety::lexiconPhrasesAreSafe()
{
    const detail::Lexicon& lexicon = detail::builtinLexicon();
    for (int id = 0; id < lexicon.phraseCount(); ++id) {
        const std::string& phrase = lexicon.phrase(id).text;
        const SafetyVerdict v = checkSafety(phrase);
        QVERIFY2(v.allowed, qPrintable(q(phrase) + ": " + q(v.message)));
    }
}

QTEST_GUILESS_MAIN(TestSafety)
#include "tst_safety.moc"
