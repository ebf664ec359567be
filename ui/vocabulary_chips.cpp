#include "ui/vocabulary_chips.h"

#include "ui/world_icons.h"

#include <QGridLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

#include <array>

namespace kinora::ui {

namespace {

// A layout that wraps its items onto as many lines as the width needs (after Qt's
// flow layout example), so the chips fit a narrow dock as well as a wide one.
class FlowLayout : public QLayout {
public:
    explicit FlowLayout(QWidget* parent = nullptr)
        : QLayout(parent)
    {
        setContentsMargins(0, 0, 0, 0);
    }
    ~FlowLayout() override
    {
        while (QLayoutItem* item = takeAt(0))
            delete item;
    }

    void addItem(QLayoutItem* item) override { m_items.append(item); }
    int count() const override { return m_items.size(); }
    QLayoutItem* itemAt(int index) const override { return m_items.value(index); }
    QLayoutItem* takeAt(int index) override
    {
        return index >= 0 && index < m_items.size() ? m_items.takeAt(index) : nullptr;
    }
    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return arrange(QRect(0, 0, width, 0), false); }
    void setGeometry(const QRect& rect) override
    {
        QLayout::setGeometry(rect);
        arrange(rect, true);
    }
    QSize sizeHint() const override { return minimumSize(); }
    QSize minimumSize() const override
    {
        QSize size;
        for (const QLayoutItem* item : m_items)
            size = size.expandedTo(item->minimumSize());
        const QMargins m = contentsMargins();
        return size + QSize(m.left() + m.right(), m.top() + m.bottom());
    }

private:
    int arrange(const QRect& rect, bool apply) const
    {
        constexpr int kGap = 3;
        const QMargins m = contentsMargins();
        const QRect area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom());
        int x = area.x(), y = area.y(), lineHeight = 0;
        for (QLayoutItem* item : m_items) {
            const QSize hint = item->sizeHint();
            if (x + hint.width() > area.right() + 1 && lineHeight > 0) {
                x = area.x();
                y += lineHeight + kGap;
                lineHeight = 0;
            }
            if (apply)
                item->setGeometry(QRect(QPoint(x, y), hint));
            x += hint.width() + kGap;
            lineHeight = qMax(lineHeight, hint.height());
        }
        return y + lineHeight - rect.y() + m.bottom();
    }

    QList<QLayoutItem*> m_items;
};

QString q(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<int>(s.size()));
}

QString chipName(prompt::WordKind kind, const QString& key)
{
    QString name = QStringLiteral("chip_%1_%2").arg(q(prompt::wordKindName(kind)), key);
    name.replace(QLatin1Char(' '), QLatin1Char('_'));
    return name;
}

} // namespace

VocabularyChips::VocabularyChips(QWidget* parent)
    : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(4);
    grid->setColumnStretch(1, 1);
    int rowIndex = 0;
    auto addRow = [&](const QString& title) {
        auto* label = new QLabel(title, this);
        label->setAlignment(Qt::AlignRight | Qt::AlignTop);
        label->setContentsMargins(0, 4, 0, 0);
        auto* holder = new QWidget(this);
        auto* flow = new FlowLayout(holder);
        grid->addWidget(label, rowIndex, 0);
        grid->addWidget(holder, rowIndex, 1);
        ++rowIndex;
        return flow;
    };

    QLayout* colours = addRow(tr("Colour"));
    for (int i = 0; i < world::kColorCount; ++i) {
        const auto colour = static_cast<world::Color>(i);
        const QString word = q(world::colorName(colour));
        QToolButton* button = addChip(colours, prompt::WordKind::Colour, word, word);
        button->setIcon(colourIcon(colour));
        button->setToolButtonStyle(Qt::ToolButtonIconOnly);
    }

    QLayout* shapes = addRow(tr("Shape"));
    for (int i = 0; i < world::kShapeCount; ++i) {
        const auto shape = static_cast<world::Shape>(i);
        const QString word = q(world::shapeName(shape));
        addChip(shapes, prompt::WordKind::Shape, word, word)->setIcon(shapeIcon(shape));
    }

    QLayout* sizes = addRow(tr("Size"));
    for (int i = 0; i < world::kSizeCount; ++i) {
        const auto size = static_cast<world::Size>(i);
        const QString word = q(world::sizeName(size));
        addChip(sizes, prompt::WordKind::Size, word, word)->setIcon(sizeIcon(size));
    }

    // Motions carry their canonical phrase ("moving to the left"); the button shows a
    // short name and a sign for the movement.
    struct MotionChip {
        world::Motion motion;
        const char* key;
        const char* sign;
    };
    static constexpr std::array<MotionChip, world::kMotionCount> kMotions = { {
        { world::Motion::Left, "left", "\u2190" },
        { world::Motion::Right, "right", "\u2192" },
        { world::Motion::Up, "up", "\u2191" },
        { world::Motion::Down, "down", "\u2193" },
        { world::Motion::Bounce, "bounce", "\u2934" },
        { world::Motion::Fall, "fall", "\u2935" },
        { world::Motion::Orbit, "orbit", "\u21bb" },
        { world::Motion::Grow, "grow", "\u2922" },
        { world::Motion::Shrink, "shrink", "\u2921" },
        { world::Motion::Spin, "spin", "\u27f3" },
        { world::Motion::Still, "still", "\u2022" },
    } };
    QLayout* motions = addRow(tr("Motion"));
    for (const MotionChip& m : kMotions) {
        const QString key = QString::fromLatin1(m.key);
        QToolButton* button
            = addChip(motions, prompt::WordKind::Motion, key, q(world::motionPhrase(m.motion)));
        button->setText(QStringLiteral("%1 %2").arg(QString::fromUtf8(m.sign), key));
    }

    QLayout* backgrounds = addRow(tr("Background"));
    for (int i = 0; i < world::kBackgroundCount; ++i) {
        const auto background = static_cast<world::Background>(i);
        const QString word = q(world::backgroundName(background));
        addChip(backgrounds, prompt::WordKind::Background, word, word)->setIcon(backgroundIcon(background));
    }
}

QToolButton* VocabularyChips::chip(prompt::WordKind kind, const QString& word) const
{
    return findChild<QToolButton*>(chipName(kind, word));
}

QToolButton* VocabularyChips::addChip(
    QLayout* row, prompt::WordKind kind, const QString& key, const QString& word)
{
    auto* button = new QToolButton(row->parentWidget());
    button->setObjectName(chipName(kind, key));
    button->setText(key);
    button->setToolTip(tr("Put “%1” into the prompt").arg(word));
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setIconSize(QSize(16, 16));
    button->setAutoRaise(false);
    button->setFocusPolicy(Qt::NoFocus); // clicking a chip keeps the caret in the prompt
    row->addWidget(button);
    connect(button, &QToolButton::clicked, this, [this, kind, word] { Q_EMIT chipClicked(kind, word); });
    return button;
}

} // namespace kinora::ui
