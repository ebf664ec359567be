// Tests for core/prompt: the prompt expander (recaptioning). The safety check has
// tst_safety.cpp.
// The expander must read the world's own captions back exactly (canonical ones and
// every paraphrase template), map other words onto the world's, fill what is left
// open from the seed within WORLD.md's rules, and say what it did.

#include "prompt/lexicon.h"
#include "prompt/prompt.h"
#include "prompt/safety.h"
#include "prompt/scene_builder.h"
#include "world/world.h"

#include <QTest>

#include <algorithm>
#include <set>

using namespace kinora;
using namespace kinora::prompt;

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

template <typename T> QString joined(const std::vector<T>& items)
{
    QStringList out;
    for (const auto& item : items) {
        if constexpr (std::is_same_v<T, std::string>)
            out << q(item);
        else
            out << q(item.first) + ">" + q(item.second);
    }
    return out.join(',');
}

Expansion expand(const std::string& prompt, std::uint64_t seed = 1)
{
    Result<Expansion> r = expandPrompt(prompt, seed);
    if (!r)
        qFatal("expandPrompt(\"%s\") failed: %s", prompt.c_str(), r.error().message.c_str());
    return std::move(r).value();
}

bool contains(const std::vector<std::string>& list, const std::string& item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

} // namespace

class TestPrompt : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void dataFilesParse();
    void lexiconIsLarge();
    void canonicalCaptionsAreFixedPoints_data();
    void canonicalCaptionsAreFixedPoints();
    void paraphrasesExpandToCanonical_data();
    void paraphrasesExpandToCanonical();
    void synonyms_data();
    void synonyms();
    void misspellings_data();
    void misspellings();
    void defaultsAreSeeded();
    void defaultsKeepWorldRules();
    void unknownWords_data();
    void unknownWords();
    void twoObjects_data();
    void twoObjects();
    void placementVersusMotion_data();
    void placementVersusMotion();
    void colourBackgroundConflict();
    void notes_data();
    void notes();
    void emptyPrompt_data();
    void emptyPrompt();
    void promptLength();
    void utf8_data();
    void utf8();
    void operationsPromptCheck_data();
    void operationsPromptCheck();
    void analyseWordsSpansAndKinds();
    void negativeCaptionKeepsOnlyPlacedWords();
    void analyseWordsLeftRight_data();
    void analyseWordsLeftRight();
};

void TestPrompt::dataFilesParse()
{
    const auto& lexiconErrors = detail::builtinLexicon().errors();
    QVERIFY2(lexiconErrors.empty(), lexiconErrors.empty() ? "" : lexiconErrors.front().c_str());
    const auto& safetyErrors = detail::builtinSafetyList().errors();
    QVERIFY2(safetyErrors.empty(), safetyErrors.empty() ? "" : safetyErrors.front().c_str());
    QVERIFY(detail::builtinSafetyList().entries().size() >= 200);
}

void TestPrompt::lexiconIsLarge()
{
    QVERIFY2(lexiconSize() >= 400, qPrintable(QString::number(lexiconSize())));
}

void TestPrompt::canonicalCaptionsAreFixedPoints_data()
{
    QTest::addColumn<quint64>("seed");
    for (quint64 seed = 0; seed < 400; ++seed)
        QTest::addRow("scene %llu", static_cast<unsigned long long>(seed)) << seed;
}

void TestPrompt::canonicalCaptionsAreFixedPoints()
{
    QFETCH(quint64, seed);
    const world::Scene scene = world::sampleScene(seed);
    const std::string caption = world::canonicalCaption(scene);
    const Expansion e = expand(caption, seed + 99);
    QCOMPARE(q(e.caption), q(caption));
    QCOMPARE(e.scene.background, scene.background);
    QCOMPARE(e.scene.objects.size(), scene.objects.size());
    for (std::size_t i = 0; i < scene.objects.size(); ++i) {
        const world::ObjectSpec &a = e.scene.objects[i], &b = scene.objects[i];
        QCOMPARE(a.color, b.color);
        QCOMPARE(a.shape, b.shape);
        QCOMPARE(a.size, b.size);
        QCOMPARE(a.motion, b.motion);
        QCOMPARE(a.speed, b.speed);
        QCOMPARE(a.placement, b.placement);
    }
    QCOMPARE(e.scene.seed, seed + 99);
    QCOMPARE(joined(e.unknownWords), QString());
    QCOMPARE(joined(e.corrections), QString());
    QCOMPARE(joined(e.defaulted), QString());
    QCOMPARE(joined(e.notes), QString());
}

// Every wording the training captions use must read back as the scene it describes.
void TestPrompt::paraphrasesExpandToCanonical_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<quint64>("variant");
    const int templates = world::paraphraseTemplateCount();
    for (int t = 0; t < templates; ++t) {
        for (quint64 k = 0; k < 16; ++k) {
            const quint64 seed = 1000 + k * 37 + static_cast<quint64>(t);
            const quint64 variant = static_cast<quint64>(t) + k * static_cast<quint64>(templates);
            QTest::addRow("template %d scene %llu", t, static_cast<unsigned long long>(seed))
                << seed << variant;
        }
    }
}

void TestPrompt::paraphrasesExpandToCanonical()
{
    QFETCH(quint64, seed);
    QFETCH(quint64, variant);
    const world::Scene scene = world::sampleScene(seed);
    const std::string paraphrase = world::paraphraseCaption(scene, variant);
    const Expansion e = expand(paraphrase, seed);
    QVERIFY2(e.caption == world::canonicalCaption(scene),
        qPrintable(q(paraphrase) + "\n   read as: " + q(e.caption) + "\n   notes: " + joined(e.notes)));
    QCOMPARE(joined(e.defaulted), QString());
}

void TestPrompt::synonyms_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("caption");
    const auto row
        = [](const char* prompt, const char* caption) { QTest::newRow(prompt) << prompt << caption; };
    // colours
    row("a crimson ball bouncing on black", "a red circle bouncing on a black background");
    row("scarlet sphere falling on a gray background", "a red circle falling on a gray background");
    row("a maroon orb bouncing over navy", "a red circle bouncing on a navy background");
    row("a ruby cube spinning against a dark backdrop", "a red square spinning on a black background");
    row("cherry red disc falls at dusk", "a red circle falling on a sunset background");
    row("a teal box rising on beige", "a cyan square moving up on a beige background");
    row("turquoise pyramid sinking on a chessboard",
        "a cyan triangle moving down on a checkerboard background");
    row("an aqua star orbiting in space", "a cyan star orbiting on a starry night background");
    row("a violet diamond growing in a meadow", "a purple diamond growing on a grass field background");
    row("lavender kite shrinking on sand", "a purple diamond shrinking on a beige background");
    row("magenta gem twirling over concrete", "a purple diamond spinning on a gray background");
    row("a lilac wedge resting at sunset", "a purple triangle staying still on a sunset background");
    row("a navy blue block sliding left on black", "a blue square moving to the left on a black background");
    row("a golden star soaring over the ocean", "a yellow star moving up on a navy background");
    row("an emerald rhombus tumbling on a lawn", "a green diamond falling on a grass field background");
    row("an ivory lozenge idle on a checkered floor",
        "a white diamond staying still on a checkerboard background");
    row("a silver ball hopping on a black background", "a white circle bouncing on a black background");
    row("a tangerine dot revolving at twilight", "an orange circle orbiting on a sunset background");
    // shapes and sizes
    row("a tiny red bead bouncing on black", "a small red circle bouncing on a black background");
    row("a little green cube spinning on black", "a small green square spinning on a black background");
    row("a mini yellow triangle falling on black", "a small yellow triangle falling on a black background");
    row("a huge blue rectangle falling on black", "a large blue square falling on a black background");
    row("a giant white pentagram spinning on black", "a large white star spinning on a black background");
    row("an enormous orange cone bouncing on black",
        "a large orange triangle bouncing on a black background");
    row("a medium-sized red crate staying still on black",
        "a red square staying still on a black background");
    // motions
    row("a red ball drifting westward on black", "a red circle moving to the left on a black background");
    row("a red ball glides to the right on black", "a red circle moving to the right on a black background");
    row("a red ball ascends on black", "a red circle moving up on a black background");
    row("a red ball floats up on black", "a red circle moving up on a black background");
    row("a red ball descends on black", "a red circle moving down on a black background");
    row("a red ball plummets on black", "a red circle falling on a black background");
    row("a red ball circles around on black", "a red circle orbiting on a black background");
    row("a red ball inflates on black", "a red circle growing on a black background");
    row("a red ball deflates on black", "a red circle shrinking on a black background");
    row("a red ball gets bigger on black", "a red circle growing on a black background");
    row("a red box dwindles on black", "a red square shrinking on a black background");
    row("a red box whirls on black", "a red square spinning on a black background");
    row("a red ball sits motionless on black", "a red circle staying still on a black background");
    row("a red ball jumping up and down on black", "a red circle bouncing on a black background");
    row("a red ball loops on black", "a red circle orbiting on a black background");
    // speeds
    row("a red ball rising gently on black", "a red circle moving up slowly on a black background");
    row("a red ball sluggishly sinking on black", "a red circle moving down slowly on a black background");
    row("a red ball swiftly orbiting on black", "a red circle orbiting quickly on a black background");
    row("a speedy red ball going up on black", "a red circle moving up quickly on a black background");
    row("a red ball crawling left on black", "a red circle moving to the left slowly on a black background");
    // backgrounds, with multi-word phrases and hyphens
    row("a red ball falling against the night sky", "a red circle falling on a starry night background");
    row("a red ball falling under a night-sky", "a red circle falling on a starry night background");
    row("a red ball falling in the galaxy", "a red circle falling on a starry night background");
    row("a red ball falling in a grass field", "a red circle falling on a grass field background");
    row("a red ball falling on a tiled floor", "a red circle falling on a checkerboard background");
    row("a red ball falling in the evening", "a red circle falling on a sunset background");
    row("a red ball falling on paper", "a red circle falling on a beige background");
    row("a red ball falling in the deep blue sea", "a red circle falling on a navy background");
    row("a red ball falling on a blue background", "a red circle falling on a navy background");
    row("a red ball falling in the dark", "a red circle falling on a black background");
    row("RED BALL FALLING ON BLACK!!!", "a red circle falling on a black background");
    row("Red balls, falling... on black.", "a red circle falling on a black background");
}

void TestPrompt::synonyms()
{
    QFETCH(QString, prompt);
    QFETCH(QString, caption);
    const Expansion e = expand(prompt.toStdString());
    QCOMPARE(q(e.caption), caption);
    QCOMPARE(joined(e.defaulted), QString());
}

void TestPrompt::misspellings_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("caption");
    QTest::addColumn<QString>("corrections");
    QTest::newRow("bleu sqare bounsing") << "bleu sqare bounsing on black"
                                         << "a blue square bouncing on a black background"
                                         << "bleu>blue,sqare>square,bounsing>bouncing";
    QTest::newRow("transpositions") << "a pruple traingle spinnign on black"
                                    << "a purple triangle spinning on a black background"
                                    << "pruple>purple,traingle>triangle,spinnign>spinning";
    QTest::newRow("plural misspelled") << "yelow sqares falling on black"
                                       << "a yellow square falling on a black background"
                                       << "yelow>yellow,sqares>squares";
    QTest::newRow("background") << "a red ball falling on a chekerboard"
                                << "a red circle falling on a checkerboard background"
                                << "chekerboard>checkerboard";
    QTest::newRow("phrase word") << "a red ball falling under the nigth sky"
                                 << "a red circle falling on a starry night background"
                                 << "nigth>night";
    QTest::newRow("two edits, long word") << "a red ball rotatting quikcly on black"
                                          << "a red circle spinning quickly on a black background"
                                          << "rotatting>rotating,quikcly>quickly";
}

void TestPrompt::misspellings()
{
    QFETCH(QString, prompt);
    QFETCH(QString, caption);
    QFETCH(QString, corrections);
    const Expansion e = expand(prompt.toStdString());
    QCOMPARE(q(e.caption), caption);
    QCOMPARE(joined(e.corrections), corrections);
    QCOMPARE(joined(e.unknownWords), QString());
}

void TestPrompt::defaultsAreSeeded()
{
    std::set<std::string> captions;
    for (std::uint64_t seed = 0; seed < 60; ++seed) {
        const Expansion a = expand("a ball", seed), b = expand("a ball", seed);
        QCOMPARE(q(a.caption), q(b.caption)); // deterministic
        QCOMPARE(a.scene.seed, seed);
        QCOMPARE(a.scene.objects.front().shape, world::Shape::Circle);
        QCOMPARE(joined(a.defaulted), QStringLiteral("motion,colour,background"));
        captions.insert(a.caption);
    }
    QVERIFY2(captions.size() >= 30, qPrintable(QString::number(captions.size())));

    // A moving verb without a direction defaults only the direction.
    std::set<world::Motion> directions;
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const Expansion e = expand("a red ball rolling on black", seed);
        QCOMPARE(joined(e.defaulted), QStringLiteral("direction"));
        directions.insert(e.scene.objects.front().motion);
    }
    QCOMPARE(directions,
        (std::set<world::Motion> {
            world::Motion::Left, world::Motion::Right, world::Motion::Up, world::Motion::Down }));

    // Saying one more thing leaves the other defaults as they were.
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const Expansion open = expand("something", seed), shaped = expand("a triangle", seed);
        QCOMPARE(shaped.scene.background, open.scene.background);
        QCOMPARE(shaped.scene.objects.front().color, open.scene.objects.front().color);
    }
}

void TestPrompt::defaultsKeepWorldRules()
{
    for (std::uint64_t seed = 0; seed < 300; ++seed) {
        for (const char* prompt : { "something", "a white thing", "a spinning thing", "a ball",
                 "a box and a ball", "two stars on beige", "a thing moving slowly" }) {
            const Expansion e = expand(prompt, seed);
            for (const world::ObjectSpec& o : e.scene.objects) {
                QVERIFY(detail::colourDistance(o.color, e.scene.background) >= detail::kMinColourDistance);
                QVERIFY(!(o.shape == world::Shape::Circle && o.motion == world::Motion::Spin));
                QVERIFY(!(o.motion == world::Motion::Still && o.speed != world::Speed::Normal));
            }
            if (e.scene.objects.size() == 2) {
                QVERIFY(e.scene.objects[0].color != e.scene.objects[1].color);
                QVERIFY(e.scene.objects[0].placement != e.scene.objects[1].placement);
                QVERIFY(e.scene.objects[0].placement != world::Placement::Center);
            } else {
                QCOMPARE(e.scene.objects.front().placement, world::Placement::Center);
            }
        }
        QVERIFY(expand("a thing moving slowly", seed).scene.objects.front().motion != world::Motion::Still);
        QVERIFY(expand("a spinning thing", seed).scene.objects.front().shape != world::Shape::Circle);
    }
}

void TestPrompt::unknownWords_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("unknown");
    QTest::newRow("none") << "please show me a red ball that is bouncing"
                          << "";
    QTest::newRow("adjective and noun") << "a fluffy cat jumping"
                                        << "fluffy,cat";
    QTest::newRow("real words are not corrected") << "a bell and a fish"
                                                  << "bell,fish";
    QTest::newRow("short words need exact match") << "a rd bal"
                                                  << "rd,bal";
    QTest::newRow("repeats once") << "zorp ball zorp"
                                  << "zorp";
    QTest::newRow("phrase word alone") << "a hand"
                                       << "hand";
    QTest::newRow("typographic punctuation")
        << QString::fromUtf8("a \u201cred\u201d snail\u2019s ball \u2014 bouncing") << "snails";
    QTest::newRow("non-ASCII word") << QString::fromUtf8("a caf\u00e9 ball")
                                    << QString::fromUtf8("caf\u00e9");
}

void TestPrompt::unknownWords()
{
    QFETCH(QString, prompt);
    QFETCH(QString, unknown);
    const Expansion e = expand(prompt.toStdString());
    QCOMPARE(joined(e.unknownWords), unknown);
}

void TestPrompt::twoObjects_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("caption");
    const auto row
        = [](const char* prompt, const char* caption) { QTest::newRow(prompt) << prompt << caption; };
    row("a red ball bouncing and a blue cube spinning on black",
        "a red circle bouncing on the left and a blue square spinning on the right on a black background");
    row("a red ball bouncing with a blue cube spinning, on black",
        "a red circle bouncing on the left and a blue square spinning on the right on a black background");
    row("a red ball bouncing next to a blue cube spinning on black",
        "a red circle bouncing on the left and a blue square spinning on the right on a black background");
    row("a red ball bouncing on the right and a blue cube spinning on black",
        "a red circle bouncing on the right and a blue square spinning on the left on a black background");
    row("a red ball bouncing to the right of a blue cube spinning on black",
        "a red circle bouncing on the right and a blue square spinning on the left on a black background");
    row("a red ball bouncing, a blue cube spinning, black background",
        "a red circle bouncing on the left and a blue square spinning on the right on a black background");
    row("on a starry night a yellow star rises while a small white diamond falls",
        "a yellow star moving up on the left and a small white diamond falling on the right on a starry "
        "night "
        "background");
    row("two red balls bouncing on black",
        "a red circle bouncing on the left and a red circle bouncing on the right on a black background");
    // A colour after a complete object starts the next one even without "and".
    row("a red ball bouncing a blue box spinning on black",
        "a red circle bouncing on the left and a blue square spinning on the right on a black background");
    // A motion word may come before the second object's noun.
    row("a red ball bouncing beside a spinning blue box on black",
        "a red circle bouncing on the left and a blue square spinning on the right on a black background");
    // "with" before a background is not a second object.
    row("a red ball bouncing with a black background", "a red circle bouncing on a black background");
    row("a red ball bouncing with blue", "a red circle bouncing on a navy background");
}

void TestPrompt::twoObjects()
{
    QFETCH(QString, prompt);
    QFETCH(QString, caption);
    const Expansion e = expand(prompt.toStdString());
    QCOMPARE(q(e.caption), caption);
}

void TestPrompt::placementVersusMotion_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<int>("motion"); // of the first object, -1: defaulted
    QTest::addColumn<int>("placement"); // of the first object in a two-object scene, -1: one object
    using M = world::Motion;
    using P = world::Placement;
    QTest::newRow("moves left") << "a ball moves left and a box" << int(M::Left) << int(P::Left);
    QTest::newRow("moves to the left")
        << "a ball moving to the left and a box" << int(M::Left) << int(P::Left);
    QTest::newRow("rolls to the right")
        << "a ball rolls to the right and a box" << int(M::Right) << int(P::Left);
    QTest::newRow("leftward") << "a ball drifting leftward" << int(M::Left) << -1;
    QTest::newRow("on the left") << "a ball spinning on the left and a box" << int(M::Spin) << int(P::Left);
    QTest::newRow("on the right") << "a ball falls on the right and a box" << int(M::Fall) << int(P::Right);
    QTest::newRow("to the right, no verb") << "a ball to the right and a box" << -1 << int(P::Right);
    QTest::newRow("moving left on the right")
        << "a ball moving left on the right and a box" << int(M::Left) << int(P::Right);
    QTest::newRow("right side") << "a ball on the right side bouncing and a box" << int(M::Bounce)
                                << int(P::Right);
    QTest::newRow("left alone") << "a ball left" << int(M::Left) << -1;
}

void TestPrompt::placementVersusMotion()
{
    QFETCH(QString, prompt);
    QFETCH(int, motion);
    QFETCH(int, placement);
    const Expansion e = expand(prompt.toStdString());
    const world::ObjectSpec& first = e.scene.objects.front();
    if (motion >= 0)
        QCOMPARE(int(first.motion), motion);
    else
        QVERIFY(contains(e.defaulted, "motion"));
    QCOMPARE(e.scene.objects.size(), std::size_t(placement >= 0 ? 2 : 1));
    if (placement >= 0)
        QCOMPARE(int(first.placement), placement);
}

void TestPrompt::colourBackgroundConflict()
{
    // The v1 palette has no colour within 60 of a background, so every pair is kept.
    for (int c = 0; c < world::kColorCount; ++c) {
        for (int b = 0; b < world::kBackgroundCount; ++b) {
            const auto colour = static_cast<world::Color>(c);
            const auto background = static_cast<world::Background>(b);
            const std::string prompt = "a " + std::string(world::colorName(colour)) + " ball bouncing on a "
                + std::string(world::backgroundName(background)) + " background";
            const Expansion e = expand(prompt);
            QCOMPARE(e.scene.objects.front().color, colour);
            QCOMPARE(e.scene.background, background);
            const bool close = detail::colourDistance(colour, background) < detail::kMinColourDistance;
            QCOMPARE(e.notes.empty(), !close);
        }
    }

    // The rules themselves, with a stricter distance under which white is too close
    // to beige, cyan to the grass field and red to the sunset.
    constexpr double kStrict = 100.0;
    QVERIFY(detail::colourDistance(world::Color::White, world::Background::Beige) < kStrict);
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        // A colour asked for is kept; a defaulted background keeps clear of it.
        detail::SceneRequest colourOnly;
        colourOnly.objects.resize(1);
        colourOnly.objects[0].color = world::Color::White;
        const detail::CompletedScene a = detail::completeScene(colourOnly, seed, kStrict);
        QCOMPARE(a.scene.objects[0].color, world::Color::White);
        QVERIFY(detail::colourDistance(world::Color::White, a.scene.background) >= kStrict);
        QVERIFY(a.notes.empty());

        // A background asked for is kept; a defaulted colour keeps clear of it.
        detail::SceneRequest backgroundOnly;
        backgroundOnly.objects.resize(2);
        backgroundOnly.background = world::Background::Beige;
        const detail::CompletedScene b = detail::completeScene(backgroundOnly, seed, kStrict);
        QCOMPARE(b.scene.background, world::Background::Beige);
        for (const world::ObjectSpec& o : b.scene.objects)
            QVERIFY(detail::colourDistance(o.color, world::Background::Beige) >= kStrict);

        // Both asked for: both kept, and the user is told.
        detail::SceneRequest both = colourOnly;
        both.background = world::Background::Beige;
        const detail::CompletedScene c = detail::completeScene(both, seed, kStrict);
        QCOMPARE(c.scene.objects[0].color, world::Color::White);
        QCOMPARE(c.scene.background, world::Background::Beige);
        QCOMPARE(c.notes.size(), std::size_t(1));
        QVERIFY(c.notes[0].find("hard to see") != std::string::npos);
    }
}

void TestPrompt::notes_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("caption");
    QTest::addColumn<QString>("note");
    QTest::newRow("three objects")
        << "a red ball bouncing, a blue box spinning and a green star falling on black"
        << "a red circle bouncing on the left and a blue square spinning on the right on a "
           "black background"
        << "at most two objects";
    QTest::newRow("black object") << "a black ball bouncing on a gray background"
                                  << ""
                                  << "Ignored \"black\"";
    QTest::newRow("two motions") << "a red ball bouncing and spinning on black"
                                 << "a red circle bouncing on a black background"
                                 << "one motion";
    QTest::newRow("still has no speed") << "a red ball resting quickly on black"
                                        << "a red circle staying still on a black background"
                                        << "no speed";
    QTest::newRow("one object placed") << "a red ball bouncing on the left on black"
                                       << "a red circle bouncing on a black background"
                                       << "two objects";
}

void TestPrompt::notes()
{
    QFETCH(QString, prompt);
    QFETCH(QString, caption);
    QFETCH(QString, note);
    const Expansion e = expand(prompt.toStdString(), 3);
    if (!caption.isEmpty())
        QCOMPARE(q(e.caption), caption);
    QVERIFY2(joined(e.notes).contains(note), qPrintable(joined(e.notes)));
}

void TestPrompt::emptyPrompt_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::newRow("empty") << "";
    QTest::newRow("spaces") << "   ";
    QTest::newRow("whitespace") << " \t\n\r ";
}

void TestPrompt::emptyPrompt()
{
    QFETCH(QString, prompt);
    const Result<Expansion> r = expandPrompt(prompt.toStdString(), 1);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
    QVERIFY(!r.error().message.empty());
    // Punctuation alone is not empty: it expands to a fully defaulted scene.
    QVERIFY(expandPrompt("?!", 1).ok());
}

void TestPrompt::utf8_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("badByte"); // 1-based; 0: well-formed
    QTest::newRow("ASCII") << QByteArray("a red ball") << 0;
    QTest::newRow("umlaut, CJK, emoji") << QByteArray("ein grüner Würfel 立方体 🚗") << 0;
    QTest::newRow("edges: U+0080, U+FFFF, U+10FFFF")
        << QByteArray("\xC2\x80 \xEF\xBF\xBF \xF4\x8F\xBF\xBF") << 0;
    QTest::newRow("Latin-1 byte") << QByteArray("a red \xFF circle") << 7;
    QTest::newRow("Latin-1 e acute") << QByteArray("caf\xE9 ball") << 4;
    QTest::newRow("stray continuation byte") << QByteArray("a \x80") << 3;
    QTest::newRow("cut-off character at the end") << QByteArray("ball \xC3") << 6;
    QTest::newRow("cut-off three-byte character") << QByteArray("\xE7\xAB ball") << 1;
    QTest::newRow("overlong slash") << QByteArray("\xC0\xAF") << 1;
    QTest::newRow("overlong three-byte") << QByteArray("\xE0\x80\xAF") << 1;
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << 1;
    QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << 1;
    QTest::newRow("F5 lead byte") << QByteArray("\xF5\x80\x80\x80") << 1;
}

// The one check every operation's prompt passes, in the CLI and the studio.
void TestPrompt::operationsPromptCheck_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("required");
    QTest::addColumn<int>("problem");
    QTest::addColumn<QString>("says");
    const int none = int(PromptProblem::None), empty = int(PromptProblem::Empty);
    QTest::newRow("fine") << QByteArray("a red ball moving to the right") << true << none << "";
    QTest::newRow("blank, needed") << QByteArray(" \t\n ") << true << empty << "the prompt is empty";
    QTest::newRow("blank, not needed") << QByteArray("  ") << false << none << "";
    QTest::newRow("not UTF-8") << QByteArray("a red \xff ball") << false << int(PromptProblem::NotUtf8)
                               << "--prompt is not valid UTF-8 text (byte 7 is 0xFF)";
    QTest::newRow("refused") << QByteArray("a knife stabbing a person") << false << int(PromptProblem::Refused)
                             << "violence";
}

void TestPrompt::operationsPromptCheck()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, required);
    QFETCH(int, problem);
    QFETCH(QString, says);
    const auto check = checkPrompt(text.toStdString(), required, "--prompt");
    QCOMPARE(int(check.problem), problem);
    QCOMPARE(check.ok(), problem == int(PromptProblem::None));
    QCOMPARE(check.blank, QByteArray(text).trimmed().isEmpty());
    QVERIFY2(QString::fromStdString(check.message).contains(says), check.message.c_str());
    QCOMPARE(check.message.empty(), says.isEmpty());
    if (problem == int(PromptProblem::Refused))
        QCOMPARE(check.message, checkSafety(text.toStdString()).message);
}

void TestPrompt::utf8()
{
    // Prompts go into JSON generation records, which hold only UTF-8 (nlohmann::json
    // throws on anything else): what checkUtf8 lets through, the JSON library accepts.
    QFETCH(QByteArray, text);
    QFETCH(int, badByte);
    const std::string s = text.toStdString();
    const auto ok = checkUtf8(s, "the prompt");
    QCOMPARE(ok.ok(), badByte == 0);
    const auto expansion = expandPrompt(s, 1);
    QCOMPARE(expansion.ok(), badByte == 0);
    if (badByte == 0)
        return;
    QCOMPARE(ok.error().code, ErrorCode::InvalidArgument);
    const QString byte = QString::number(quint8(text[badByte - 1]), 16).toUpper();
    QCOMPARE(q(ok.error().message),
        QString("the prompt is not valid UTF-8 text (byte %1 is 0x%2)").arg(badByte).arg(byte));
    QCOMPARE(expansion.error().message, ok.error().message);
}

void TestPrompt::analyseWordsSpansAndKinds()
{
    const std::string prompt
        = "A crimson Orb, bouncing slowly on the left and a bleu cube under a night-sky zorp";
    const std::vector<WordInfo> words = analyseWords(prompt);
    QStringList got;
    for (const WordInfo& w : words) {
        QVERIFY(w.begin < w.end && w.end <= prompt.size());
        QCOMPARE(q(prompt.substr(w.begin, w.end - w.begin)), q(w.word));
        got << q(w.word) + "|" + q(std::string(wordKindName(w.kind))) + "|" + q(w.canonical);
    }
    const QStringList expected = {
        "A|stop word|",
        "crimson|colour|red",
        "Orb|shape|circle",
        ",|connector|and",
        "bouncing|motion|bouncing",
        "slowly|speed|slowly",
        "on the left|placement|on the left",
        "and|connector|and",
        "a|stop word|",
        "bleu|colour|blue",
        "cube|shape|square",
        "under|stop word|",
        "a|stop word|",
        "night-sky|background|starry night",
        "zorp|unknown|",
    };
    QCOMPARE(got, expected);
}

void TestPrompt::analyseWordsLeftRight_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("word");
    QTest::addColumn<int>("kind");
    QTest::newRow("slides left") << "a ball slides left"
                                 << "left" << int(WordKind::Motion);
    QTest::newRow("moves left") << "a ball moves left"
                                << "moves left" << int(WordKind::Motion);
    QTest::newRow("to the left after a verb") << "a ball rolls to the left"
                                              << "to the left" << int(WordKind::Motion);
    QTest::newRow("to the left, no verb") << "a ball to the left"
                                          << "to the left" << int(WordKind::Placement);
    QTest::newRow("on the left") << "a ball on the left"
                                 << "on the left" << int(WordKind::Placement);
    QTest::newRow("right side") << "a ball at the right side"
                                << "at the right side" << int(WordKind::Placement);
}

void TestPrompt::analyseWordsLeftRight()
{
    QFETCH(QString, prompt);
    QFETCH(QString, word);
    QFETCH(int, kind);
    const std::vector<WordInfo> words = analyseWords(prompt.toStdString());
    const auto it
        = std::find_if(words.begin(), words.end(), [&](const WordInfo& w) { return q(w.word) == word; });
    QVERIFY(it != words.end());
    QCOMPARE(int(it->kind), kind);
}

// A negative prompt keeps the words the lexicon places, in world words, and gains no
// seeded defaults.
void TestPrompt::negativeCaptionKeepsOnlyPlacedWords()
{
    QCOMPARE(q(negativeCaption("blurry blue square")), QStringLiteral("blue square"));
    QCOMPARE(q(negativeCaption("a crimson orb")), QStringLiteral("red circle"));
    QCOMPARE(q(negativeCaption("blurry noisy")), QString());
}

void TestPrompt::promptLength()
{
    using namespace kinora::prompt;
    // At the limit, in characters, not bytes: 2000 'é' are 4000 bytes and still taken.
    QVERIFY(checkPrompt(std::string(kMaxPromptChars, 'a'), true).ok());
    std::string accents;
    for (std::size_t i = 0; i < kMaxPromptChars; ++i)
        accents += "\xC3\xA9";
    QVERIFY(checkPrompt(accents, true).ok());
    // One more: refused, with the count and the limit.
    const auto check = checkPrompt(std::string(kMaxPromptChars + 1, 'a'), true, "--prompt");
    QCOMPARE(int(check.problem), int(PromptProblem::TooLong));
    QVERIFY2(check.message == "--prompt is 2001 characters long; at most 2000 are taken", check.message.c_str());
    const auto expanded = expandPrompt(std::string(kMaxPromptChars + 1, 'a'), 1);
    QVERIFY(!expanded.ok());
    QVERIFY(QString::fromStdString(expanded.error().message).contains(QStringLiteral("at most 2000")));
}

QTEST_GUILESS_MAIN(TestPrompt)
#include "tst_prompt.moc"
