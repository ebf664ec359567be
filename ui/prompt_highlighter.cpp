#include "ui/prompt_highlighter.h"

#include <QColor>
#include <QTextCharFormat>

#include <vector>

namespace kinora::ui {

QVector<PromptWord> analysePromptWords(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    // byteToIndex[b] is the QString position of the character that starts at byte b.
    std::vector<int> byteToIndex(static_cast<std::size_t>(utf8.size()) + 1, text.size());
    int byte = 0;
    for (int i = 0; i < text.size(); ++i) {
        const int start = i;
        const char16_t c = text.at(i).unicode();
        int bytes = 1;
        if (QChar::isHighSurrogate(c) && i + 1 < text.size()
            && QChar::isLowSurrogate(text.at(i + 1).unicode())) {
            bytes = 4;
            ++i;
        } else if (c >= 0x800) {
            bytes = 3;
        } else if (c >= 0x80) {
            bytes = 2;
        }
        for (int k = 0; k < bytes && byte + k < utf8.size(); ++k)
            byteToIndex[static_cast<std::size_t>(byte + k)] = start;
        byte += bytes;
    }

    QVector<PromptWord> words;
    const auto analysed = prompt::analyseWords(std::string_view(utf8.constData(), utf8.size()));
    words.reserve(static_cast<int>(analysed.size()));
    for (const prompt::WordInfo& info : analysed) {
        if (info.begin >= info.end || info.end > static_cast<std::size_t>(utf8.size()))
            continue;
        PromptWord word;
        word.kind = info.kind;
        word.canonical = QString::fromStdString(info.canonical);
        word.start = byteToIndex[info.begin];
        word.length = byteToIndex[info.end] - word.start;
        word.text = text.mid(word.start, word.length);
        words.push_back(word);
    }
    return words;
}

bool isWorldWord(prompt::WordKind kind)
{
    switch (kind) {
    case prompt::WordKind::Colour:
    case prompt::WordKind::Shape:
    case prompt::WordKind::Size:
    case prompt::WordKind::Motion:
    case prompt::WordKind::Speed:
    case prompt::WordKind::Background:
    case prompt::WordKind::Placement:
        return true;
    case prompt::WordKind::Connector:
    case prompt::WordKind::StopWord:
    case prompt::WordKind::Unknown:
        return false;
    }
    return false;
}

namespace {

const PromptWord* firstOf(const QVector<PromptWord>& words, prompt::WordKind kind)
{
    for (const PromptWord& w : words)
        if (w.kind == kind)
            return &w;
    return nullptr;
}

} // namespace

PromptTextEdit chipEdit(const QString& text, prompt::WordKind kind, const QString& word)
{
    using prompt::WordKind;
    const QVector<PromptWord> words = analysePromptWords(text);
    const QChar space = QLatin1Char(' ');

    // Replace the first run of words of that kind ("moves to the left" may be two).
    for (int i = 0; i < words.size(); ++i) {
        if (words[i].kind != kind)
            continue;
        int last = i;
        while (last + 1 < words.size() && words[last + 1].kind == kind)
            ++last;
        return { words[i].start, words[last].end(), word };
    }

    const bool empty = text.trimmed().isEmpty();
    const PromptWord* anchor = nullptr;
    switch (kind) {
    case WordKind::Size:
        anchor = firstOf(words, WordKind::Colour);
        if (!anchor)
            anchor = firstOf(words, WordKind::Shape);
        if (anchor)
            return { anchor->start, anchor->start, word + space };
        break;
    case WordKind::Colour:
        if ((anchor = firstOf(words, WordKind::Shape)))
            return { anchor->start, anchor->start, word + space };
        break;
    case WordKind::Shape:
        anchor = firstOf(words, WordKind::Colour);
        if (!anchor)
            anchor = firstOf(words, WordKind::Size);
        if (anchor)
            return { anchor->end(), anchor->end(), space + word };
        if (!empty)
            return { 0, 0, QStringLiteral("a %1 ").arg(word) };
        break;
    case WordKind::Motion:
        if ((anchor = firstOf(words, WordKind::Shape)))
            return { anchor->end(), anchor->end(), space + word };
        break;
    case WordKind::Background: {
        const QString phrase = QStringLiteral("on a %1 background").arg(word);
        return { int(text.size()), int(text.size()), empty ? phrase : space + phrase };
    }
    default:
        break;
    }
    if (empty)
        return { 0, int(text.size()), QStringLiteral("a %1").arg(word) };
    return { int(text.size()), int(text.size()), space + word };
}

PromptHighlighter::PromptHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{
}

void PromptHighlighter::setVocabulary(const QSet<QString>& words)
{
    m_vocabulary = words;
    rehighlight();
}

bool PromptHighlighter::isKnown(const PromptWord& word) const
{
    return word.kind != prompt::WordKind::Unknown || m_vocabulary.contains(word.text.toLower());
}

QTextCharFormat PromptHighlighter::unknownFormat()
{
    QTextCharFormat format;
    format.setForeground(QColor(0xc6, 0x28, 0x28));
    format.setUnderlineStyle(QTextCharFormat::SpellCheckUnderline);
    format.setUnderlineColor(QColor(0xe5, 0x39, 0x35));
    return format;
}

QTextCharFormat PromptHighlighter::worldWordFormat()
{
    QTextCharFormat format;
    format.setForeground(QColor(0x00, 0x69, 0x8f));
    format.setFontWeight(QFont::DemiBold);
    return format;
}

void PromptHighlighter::highlightBlock(const QString& text)
{
    // Each line is read on its own; prompts are one line nearly always.
    static const QTextCharFormat kUnknown = unknownFormat();
    static const QTextCharFormat kWorld = worldWordFormat();
    for (const PromptWord& word : analysePromptWords(text)) {
        if (!isKnown(word))
            setFormat(word.start, word.length, kUnknown);
        else if (isWorldWord(word.kind))
            setFormat(word.start, word.length, kWorld);
    }
}

} // namespace kinora::ui
