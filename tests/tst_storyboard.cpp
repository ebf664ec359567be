// The storyboard reader (core/pipeline/storyboard.h): good boards read as written, every
// bad board is one error naming the shot and the field.

#include "pipeline/storyboard.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace kinora;
using namespace kinora::pipeline;

class TestStoryboard : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsBoards();
    void badBoards_data();
    void badBoards();
};

void TestStoryboard::readsBoards()
{
    auto board = parseStoryboard(R"({"seed": 7, "shots": [
        {"prompt": "a red ball moving to the right", "seconds": 4},
        {"prompt": "a red ball bouncing", "seconds": 1.5},
        {"prompt": "a blue square falling", "join": "cut"},
        {"prompt": "a blue square spinning", "join": "continue", "seed": 99}]})");
    QVERIFY2(board.ok(), board.ok() ? "" : board.error().message.c_str());
    QCOMPARE(board->seed.value_or(0), std::uint64_t(7));
    QCOMPARE(board->shots.size(), size_t(4));
    QVERIFY(board->shots[0].join == ShotJoin::Cut); // the first shot always starts afresh
    QVERIFY(board->shots[1].join == ShotJoin::Continue); // later shots continue unless cut
    QVERIFY(board->shots[2].join == ShotJoin::Cut);
    QVERIFY(board->shots[3].join == ShotJoin::Continue);
    QCOMPARE(board->shots[0].seconds, 4.0);
    QCOMPARE(board->shots[2].seconds, 2.0); // the default length
    QCOMPARE(board->shots[1].prompt, std::string("a red ball bouncing"));
    QVERIFY(!board->shots[0].seed);
    QCOMPARE(board->shots[3].seed.value_or(0), std::uint64_t(99));
    // Written back whole for the record, and read again the same.
    const auto json = storyboardJson(board.value());
    QCOMPARE(json["shots"][2]["join"].get<std::string>(), std::string("cut"));
    auto again = parseStoryboard(json.dump());
    QVERIFY(again.ok());
    QVERIFY(storyboardJson(again.value()) == json);
    // No seed: the caller picks one.
    QVERIFY(!parseStoryboard(R"({"shots": [{"prompt": "a red ball"}]})")->seed);
}

void TestStoryboard::badBoards_data()
{
    QTest::addColumn<QByteArray>("board");
    QTest::addColumn<QString>("message");
    QTest::newRow("not json") << QByteArray("{\"shots\": [") << "not valid JSON";
    QTest::newRow("a list") << QByteArray("[1, 2]") << "must be a JSON object";
    QTest::newRow("no shots") << QByteArray("{\"seed\": 1}") << "needs \"shots\"";
    QTest::newRow("empty shots") << QByteArray("{\"shots\": []}") << "needs \"shots\"";
    QTest::newRow("negative seed") << QByteArray(R"({"seed": -1, "shots": [{"prompt": "a"}]})") << "\"seed\" must be a whole number";
    QTest::newRow("unknown top field") << QByteArray(R"({"shot": [], "shots": [{"prompt": "a"}]})") << "unknown field \"shot\"";
    QTest::newRow("shot not an object") << QByteArray(R"({"shots": [{"prompt": "a"}, "b"]})") << "shot 2 must be an object";
    QTest::newRow("no prompt") << QByteArray(R"({"shots": [{"prompt": "a"}, {"seconds": 2}]})") << "shot 2: \"prompt\" is missing";
    QTest::newRow("prompt not text") << QByteArray(R"({"shots": [{"prompt": 5}]})") << "shot 1: \"prompt\" must be text";
    QTest::newRow("blank prompt") << QByteArray(R"({"shots": [{"prompt": "a"}, {"prompt": "a"}, {"prompt": "  "}]})") << "shot 3: the prompt is empty";
    QTest::newRow("refused prompt") << QByteArray(R"({"shots": [{"prompt": "a knife stabbing a person"}]})") << "shot 1:";
    QTest::newRow("not utf-8") << QByteArray("{\"shots\": [{\"prompt\": \"a red \xff ball\"}]}") << "not valid JSON";
    QTest::newRow("seconds zero") << QByteArray(R"({"shots": [{"prompt": "a", "seconds": 0}]})") << "shot 1: \"seconds\" must be a number above 0 and at most 600 (it is 0)";
    QTest::newRow("seconds text") << QByteArray(R"({"shots": [{"prompt": "a", "seconds": "4"}]})") << "shot 1: \"seconds\" must be a number";
    QTest::newRow("seconds too many") << QByteArray(R"({"shots": [{"prompt": "a", "seconds": 601}]})") << "(it is 601)";
    QTest::newRow("total too long") << QByteArray(R"({"shots": [{"prompt": "a", "seconds": 400}, {"prompt": "b", "seconds": 300}]})") << "add up to 700 seconds";
    QTest::newRow("bad join") << QByteArray(R"({"shots": [{"prompt": "a"}, {"prompt": "b", "join": "fade"}]})") << "shot 2: \"join\" must be \"continue\" or \"cut\"";
    QTest::newRow("first continues") << QByteArray(R"({"shots": [{"prompt": "a", "join": "continue"}]})") << "no shot before it";
    QTest::newRow("negative shot seed") << QByteArray(R"({"shots": [{"prompt": "a", "seed": -3}]})") << "shot 1: \"seed\" must be a whole number";
    QTest::newRow("typo in a shot") << QByteArray(R"({"shots": [{"prompt": "a", "second": 3}]})") << "shot 1: unknown field \"second\"";
    QByteArray many = "{\"shots\": [";
    for (int i = 0; i <= kMaxShots; ++i)
        many += QByteArray(i ? "," : "") + "{\"prompt\": \"a\", \"seconds\": 0.5}";
    QTest::newRow("too many shots") << many + "]}" << "at most 64";
}

void TestStoryboard::badBoards()
{
    QFETCH(QByteArray, board);
    QFETCH(QString, message);
    const auto parsed = parseStoryboard(board.toStdString());
    QVERIFY(!parsed.ok());
    QVERIFY(parsed.error().code == ErrorCode::InvalidArgument);
    QVERIFY2(QString::fromStdString(parsed.error().message).contains(message), parsed.error().message.c_str());
}

QTEST_GUILESS_MAIN(TestStoryboard)
#include "tst_storyboard.moc"
