#include "ui/prompt_editor.h"

#include "ui/prompt_highlighter.h"
#include "ui/vocabulary_chips.h"
#include "ui/world_icons.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileInfo>
#include <QFontMetrics>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QRegularExpressionValidator>
#include <QShortcut>
#include <QSpinBox>
#include <QTextCursor>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace kinora::ui {

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

bool isGenerateKey(const QKeyEvent* key)
{
    return (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
        && (key->modifiers() & Qt::ControlModifier);
}
} // namespace

PromptEditor::PromptEditor(QWidget* parent)
    : QWidget(parent)
{
    m_analysisTimer = new QTimer(this);
    m_analysisTimer->setSingleShot(true);
    m_analysisTimer->setInterval(kAnalysisDelayMs);
    connect(m_analysisTimer, &QTimer::timeout, this, &PromptEditor::updateAnalysis);
    buildUi();
    retranslateUi();
    setSeed(QRandomGenerator::global()->generate());
    updateAnalysis();
}

PromptEditor::~PromptEditor() = default;

void PromptEditor::buildUi()
{
    m_promptLabel = new QLabel(this);
    m_promptEdit = new QPlainTextEdit(this);
    m_promptEdit->setObjectName(QStringLiteral("promptEdit"));
    m_promptEdit->setTabChangesFocus(true);
    const int line = QFontMetrics(m_promptEdit->font()).lineSpacing();
    m_promptEdit->setFixedHeight(line * 4 + 12);
    m_promptLabel->setBuddy(m_promptEdit);
    m_highlighter = new PromptHighlighter(m_promptEdit->document());

    m_historyButton = new QToolButton(this);
    m_historyButton->setObjectName(QStringLiteral("historyButton"));
    m_historyButton->setPopupMode(QToolButton::InstantPopup);
    m_historyButton->setMenu(new QMenu(m_historyButton));
    m_historyButton->setEnabled(false);

    m_sketchLabel = new QLabel(this);
    m_sketchLabel->setObjectName(QStringLiteral("sketchLabel"));
    m_sketchLabel->setFixedSize(world::kFrameSize + 2, world::kFrameSize + 2);
    m_sketchLabel->setAlignment(Qt::AlignCenter);
    m_sketchLabel->setFrameShape(QFrame::StyledPanel);

    m_expandedLabel = new QLabel(this);
    m_expandedLabel->setObjectName(QStringLiteral("expandedLabel"));
    m_expandedLabel->setWordWrap(true);
    m_expandedLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notesLabel = new QLabel(this);
    m_notesLabel->setObjectName(QStringLiteral("notesLabel"));
    m_notesLabel->setWordWrap(true);
    m_notesLabel->setTextFormat(Qt::PlainText);
    QPalette notesPalette = m_notesLabel->palette();
    notesPalette.setColor(QPalette::WindowText, notesPalette.color(QPalette::PlaceholderText));
    m_notesLabel->setPalette(notesPalette);

    m_refusalLabel = new QLabel(this);
    m_refusalLabel->setObjectName(QStringLiteral("refusalLabel"));
    m_refusalLabel->setWordWrap(true);
    m_refusalLabel->setTextFormat(Qt::PlainText);
    m_refusalLabel->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #8e1c1c; border: 1px "
                                                 "solid #e57373; border-radius: 4px; padding: 6px; }"));
    m_refusalLabel->hide();

    m_negativeLabel = new QLabel(this);
    m_negativeEdit = new QPlainTextEdit(this);
    m_negativeEdit->setObjectName(QStringLiteral("negativeEdit"));
    m_negativeEdit->setTabChangesFocus(true);
    m_negativeEdit->setFixedHeight(line * 2 + 12);
    m_negativeLabel->setBuddy(m_negativeEdit);
    m_negativeHighlighter = new PromptHighlighter(m_negativeEdit->document());

    m_chips = new VocabularyChips(this);

    m_seedLabel = new QLabel(this);
    m_seedEdit = new QLineEdit(this);
    m_seedEdit->setObjectName(QStringLiteral("seedEdit"));
    m_seedEdit->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,19}")), m_seedEdit));
    // Wide enough for any random seed (32 bits: ten digits) even in a narrow dock; the
    // layout squeezed it to three digits before. Typed seeds may be longer and scroll.
    const QFontMetrics seedMetrics(m_seedEdit->font());
    m_seedEdit->setMinimumWidth(seedMetrics.horizontalAdvance(QString(10, QLatin1Char('8'))) + 16);
    m_seedEdit->setMaximumWidth(seedMetrics.horizontalAdvance(QString(20, QLatin1Char('8'))) + 16);
    m_seedLabel->setBuddy(m_seedEdit);
    m_seedModeCombo = new QComboBox(this);
    m_seedModeCombo->setObjectName(QStringLiteral("seedModeCombo"));
    m_seedModeCombo->addItem(QString(), int(SeedMode::Fixed));
    m_seedModeCombo->addItem(QString(), int(SeedMode::Random));
    m_seedModeCombo->addItem(QString(), int(SeedMode::Increment));
    m_seedModeCombo->setCurrentIndex(1);
    m_randomSeedButton = new QToolButton(this);
    m_randomSeedButton->setText(QStringLiteral("\u2684"));
    m_lastSeedLabel = new QLabel(this);
    m_lastSeedLabel->setObjectName(QStringLiteral("lastSeedLabel"));
    m_lastSeedLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_useLastSeedButton = new QToolButton(this);
    m_useLastSeedButton->setObjectName(QStringLiteral("useLastSeedButton"));
    m_useLastSeedButton->setEnabled(false);

    m_secondsLabel = new QLabel(this);
    m_secondsSpin = new QDoubleSpinBox(this);
    m_secondsSpin->setObjectName(QStringLiteral("secondsSpin"));
    m_secondsSpin->setRange(0.5, 120.0);
    m_secondsSpin->setSingleStep(0.5);
    m_secondsSpin->setDecimals(1);
    m_secondsSpin->setValue(2.0);
    m_secondsLabel->setBuddy(m_secondsSpin);
    m_stepsLabel = new QLabel(this);
    m_stepsSpin = new QSpinBox(this);
    m_stepsSpin->setObjectName(QStringLiteral("stepsSpin"));
    m_stepsSpin->setRange(1, 500);
    m_stepsSpin->setValue(20);
    m_stepsLabel->setBuddy(m_stepsSpin);
    m_guidanceLabel = new QLabel(this);
    m_guidanceSpin = new QDoubleSpinBox(this);
    m_guidanceSpin->setObjectName(QStringLiteral("guidanceSpin"));
    m_guidanceSpin->setRange(0.0, 30.0);
    m_guidanceSpin->setSingleStep(0.5);
    m_guidanceSpin->setDecimals(1);
    m_guidanceSpin->setValue(5.0);
    m_guidanceLabel->setBuddy(m_guidanceSpin);
    m_modelLabel = new QLabel(this);
    m_modelCombo = new QComboBox(this);
    m_modelCombo->setObjectName(QStringLiteral("modelCombo"));
    m_modelCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_modelCombo->setMinimumContentsLength(12);
    m_modelLabel->setBuddy(m_modelCombo);

    m_generateButton = new QPushButton(this);
    m_generateButton->setObjectName(QStringLiteral("generateButton"));
    m_generateButton->setDefault(true);

    // Layout: prompt and its sketch on top, what the model will see under them, then
    // the chips, the numbers and the button.
    auto* top = new QGridLayout;
    top->setHorizontalSpacing(8);
    auto* promptHeader = new QHBoxLayout;
    promptHeader->addWidget(m_promptLabel);
    promptHeader->addStretch(1);
    promptHeader->addWidget(m_historyButton);
    top->addLayout(promptHeader, 0, 0);
    top->addWidget(m_promptEdit, 1, 0);
    top->addWidget(m_expandedLabel, 2, 0, Qt::AlignTop);
    top->addWidget(m_notesLabel, 3, 0, Qt::AlignTop);
    top->addWidget(m_sketchLabel, 1, 1, 3, 1, Qt::AlignTop);
    top->setColumnStretch(0, 1);
    top->setRowStretch(3, 1);

    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(m_seedEdit);
    seedRow->addWidget(m_randomSeedButton);
    seedRow->addWidget(m_seedModeCombo);
    seedRow->addSpacing(8);
    seedRow->addWidget(m_lastSeedLabel);
    seedRow->addWidget(m_useLastSeedButton);
    seedRow->addStretch(1);

    auto* numbers = new QGridLayout;
    numbers->addWidget(m_seedLabel, 0, 0);
    numbers->addLayout(seedRow, 0, 1, 1, 5);
    numbers->addWidget(m_secondsLabel, 1, 0);
    numbers->addWidget(m_secondsSpin, 1, 1);
    numbers->addWidget(m_stepsLabel, 1, 2);
    numbers->addWidget(m_stepsSpin, 1, 3);
    numbers->addWidget(m_guidanceLabel, 1, 4);
    numbers->addWidget(m_guidanceSpin, 1, 5);
    numbers->addWidget(m_modelLabel, 2, 0);
    numbers->addWidget(m_modelCombo, 2, 1, 1, 5);
    numbers->setColumnStretch(6, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_refusalLabel);
    layout->addWidget(m_negativeLabel);
    layout->addWidget(m_negativeEdit);
    layout->addWidget(m_chips);
    layout->addLayout(numbers);
    m_estimateLabel = new QLabel(this);
    m_estimateLabel->setObjectName(QStringLiteral("estimateLabel"));
    m_estimateLabel->setMinimumWidth(m_estimateLabel->fontMetrics().horizontalAdvance(QStringLiteral("about 99 min 59 s (draft)")));
    auto* generateRow = new QHBoxLayout;
    generateRow->addWidget(m_generateButton, 1);
    generateRow->addWidget(m_estimateLabel);
    layout->addLayout(generateRow);
    layout->addStretch(1);

    m_promptEdit->installEventFilter(this);
    m_negativeEdit->installEventFilter(this);
    for (const QKeySequence& keys :
        { QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter) }) {
        auto* shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &PromptEditor::generate);
    }

    connect(m_promptEdit, &QPlainTextEdit::textChanged, this, &PromptEditor::onPromptTextChanged);
    connect(m_promptEdit, &QPlainTextEdit::textChanged, this, [this] { Q_EMIT promptChanged(prompt()); });
    connect(m_seedEdit, &QLineEdit::textChanged, this, &PromptEditor::onPromptTextChanged);
    connect(m_chips, &VocabularyChips::chipClicked, this, &PromptEditor::onChipsChipClicked);
    connect(m_useLastSeedButton, &QToolButton::clicked, this, &PromptEditor::onUseLastSeedClicked);
    connect(m_randomSeedButton, &QToolButton::clicked, this, &PromptEditor::onRandomSeedClicked);
    connect(m_modelCombo, &QComboBox::activated, this, &PromptEditor::onModelComboActivated);
    connect(m_generateButton, &QPushButton::clicked, this, &PromptEditor::generate);
    connect(m_secondsSpin, &QDoubleSpinBox::valueChanged, this, &PromptEditor::costChanged);
    connect(m_stepsSpin, &QSpinBox::valueChanged, this, &PromptEditor::costChanged);
}

void PromptEditor::retranslateUi()
{
    m_promptLabel->setText(tr("&Prompt"));
    m_promptEdit->setPlaceholderText(tr("Describe the clip, e.g. “a red ball bouncing on a starry night”"));
    m_historyButton->setText(tr("History"));
    m_historyButton->setToolTip(tr("Prompts you generated before"));
    m_negativeLabel->setText(tr("&Negative prompt"));
    m_negativeEdit->setPlaceholderText(tr("What the clip should not look like (optional)"));
    m_seedLabel->setText(tr("S&eed"));
    m_seedEdit->setToolTip(tr("The same prompt, seed and settings always give the same clip"));
    m_seedModeCombo->setItemText(0, tr("Fixed"));
    m_seedModeCombo->setItemText(1, tr("Random"));
    m_seedModeCombo->setItemText(2, tr("Increment"));
    m_seedModeCombo->setToolTip(tr("What happens to the seed after each generation"));
    m_randomSeedButton->setToolTip(tr("Draw a new random seed"));
    m_useLastSeedButton->setText(tr("Use"));
    m_useLastSeedButton->setToolTip(tr("Copy the last used seed into the seed box"));
    m_secondsLabel->setText(tr("&Duration"));
    m_secondsSpin->setSuffix(tr(" s"));
    m_stepsLabel->setText(tr("S&teps"));
    m_stepsSpin->setToolTip(tr("More denoising steps: slower, often cleaner"));
    m_guidanceLabel->setText(tr("&Guidance"));
    m_guidanceSpin->setToolTip(tr("How closely to follow the prompt (classifier-free guidance)"));
    m_modelLabel->setText(tr("&Model"));
    m_generateButton->setText(tr("Generate"));
    m_generateButton->setToolTip(
        tr("Queue a generation (%1)")
            .arg(QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)));
    m_sketchLabel->setToolTip(tr("A sketch of the scene the model will be asked for"));
    if (m_hasLastUsedSeed)
        m_lastSeedLabel->setText(tr("Last used: %1").arg(m_lastUsedSeed));
    else
        m_lastSeedLabel->setText(tr("Last used: none yet"));
    rebuildHistoryMenu();
    updateAnalysis();
}

void PromptEditor::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

bool PromptEditor::eventFilter(QObject* watched, QEvent* event)
{
    if ((watched == m_promptEdit || watched == m_negativeEdit) && event->type() == QEvent::KeyPress
        && isGenerateKey(static_cast<QKeyEvent*>(event))) {
        generate();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

PromptRequest PromptEditor::currentRequest() const
{
    PromptRequest request;
    request.prompt = prompt().trimmed();
    request.negative = m_negativeEdit->toPlainText().trimmed();
    request.expanded = m_expanded;
    request.seed = seed();
    request.seconds = m_secondsSpin->value();
    request.steps = m_stepsSpin->value();
    request.guidance = m_guidanceSpin->value();
    request.modelDir = m_modelCombo->currentData().toString();
    return request;
}

void PromptEditor::setPrompt(const QString& prompt)
{
    if (prompt != m_promptEdit->toPlainText())
        m_promptEdit->setPlainText(prompt);
    m_promptEdit->moveCursor(QTextCursor::End);
    flushAnalysis(); // set on purpose, not typed: shown at once
}

QString PromptEditor::prompt() const
{
    return m_promptEdit->toPlainText();
}

void PromptEditor::setNegativePrompt(const QString& negative)
{
    m_negativeEdit->setPlainText(negative);
}

void PromptEditor::setRequest(const PromptRequest& request)
{
    setPrompt(request.prompt);
    setNegativePrompt(request.negative);
    setSeed(request.seed);
    setSeconds(request.seconds);
    setSteps(request.steps);
    setGuidance(request.guidance);
    if (!request.modelDir.isEmpty()) {
        const int index = m_modelCombo->findData(request.modelDir);
        if (index >= 0)
            m_modelCombo->setCurrentIndex(index);
    }
}

void PromptEditor::setVocabulary(const QStringList& words)
{
    m_vocabulary.clear();
    for (const QString& w : words)
        m_vocabulary.insert(w.toLower());
    m_highlighter->setVocabulary(m_vocabulary);
    m_negativeHighlighter->setVocabulary(m_vocabulary);
    updateAnalysis();
}

void PromptEditor::setLastUsedSeed(quint64 seed)
{
    m_lastUsedSeed = seed;
    m_hasLastUsedSeed = true;
    m_lastSeedLabel->setText(tr("Last used: %1").arg(seed));
    m_useLastSeedButton->setEnabled(true);
}

void PromptEditor::setModelDirs(const QStringList& dirs, const QString& current)
{
    m_modelCombo->clear();
    QStringList all = dirs;
    if (!current.isEmpty() && !all.contains(current))
        all.prepend(current);
    for (const QString& dir : all) {
        const QString name = QFileInfo(dir).fileName();
        m_modelCombo->addItem(name.isEmpty() ? dir : name, dir);
        m_modelCombo->setItemData(m_modelCombo->count() - 1, dir, Qt::ToolTipRole);
    }
    const int index = m_modelCombo->findData(current);
    m_modelCombo->setCurrentIndex(index >= 0 ? index : 0);
    m_modelCombo->setToolTip(m_modelCombo->currentData().toString());
}

void PromptEditor::setSeed(quint64 seed)
{
    m_seedEdit->setText(QString::number(seed));
}

quint64 PromptEditor::seed() const
{
    return m_seedEdit->text().toULongLong();
}

void PromptEditor::setSeedMode(SeedMode mode)
{
    m_seedModeCombo->setCurrentIndex(m_seedModeCombo->findData(int(mode)));
}

PromptEditor::SeedMode PromptEditor::seedMode() const
{
    return static_cast<SeedMode>(m_seedModeCombo->currentData().toInt());
}

void PromptEditor::setSteps(int steps)
{
    m_stepsSpin->setValue(steps);
}

void PromptEditor::setGuidance(double guidance)
{
    m_guidanceSpin->setValue(guidance);
}

void PromptEditor::setSeconds(double seconds)
{
    m_secondsSpin->setValue(seconds);
}

QStringList PromptEditor::promptHistory() const
{
    return m_history;
}

void PromptEditor::setPromptHistory(const QStringList& prompts)
{
    m_history.clear();
    for (const QString& p : prompts) {
        const QString trimmed = p.trimmed();
        if (!trimmed.isEmpty() && !m_history.contains(trimmed) && m_history.size() < kHistorySize)
            m_history.append(trimmed);
    }
    rebuildHistoryMenu();
}

QString PromptEditor::expandedPrompt() const
{
    flushAnalysis();
    return m_expanded;
}

QStringList PromptEditor::unknownWords() const
{
    flushAnalysis();
    return m_unknown;
}

void PromptEditor::setEstimate(const QString& text) { m_estimateLabel->setText(text); }

QString PromptEditor::estimate() const { return m_estimateLabel->text(); }

bool PromptEditor::canGenerate() const
{
    flushAnalysis();
    return m_generateButton->isEnabled();
}

QString PromptEditor::refusal() const
{
    flushAnalysis();
    return m_refusal;
}

QImage PromptEditor::sketch() const
{
    flushAnalysis();
    return m_sketch;
}

bool PromptEditor::generate()
{
    if (!canGenerate())
        return false;
    const PromptRequest request = currentRequest();
    rememberPrompt(request.prompt);
    Q_EMIT generateRequested(request);
    switch (seedMode()) {
    case SeedMode::Fixed:
        break;
    case SeedMode::Random:
        setSeed(QRandomGenerator::global()->generate());
        break;
    case SeedMode::Increment:
        setSeed(request.seed + 1);
        break;
    }
    return true;
}

void PromptEditor::onPromptTextChanged()
{
    m_analysisTimer->start(); // restarted by every key
}

void PromptEditor::flushAnalysis() const
{
    if (m_analysisTimer->isActive())
        const_cast<PromptEditor*>(this)->updateAnalysis();
}

QString PromptEditor::attributeName(const QString& attribute) const
{
    // The expander names what it filled in with these words (core/prompt/prompt.h).
    static const QLatin1String kSecond("second ");
    if (attribute.startsWith(kSecond))
        return tr("second %1").arg(attributeName(attribute.mid(kSecond.size())));
    if (attribute == QLatin1String("colour"))
        return tr("colour");
    if (attribute == QLatin1String("shape"))
        return tr("shape");
    if (attribute == QLatin1String("motion"))
        return tr("motion");
    if (attribute == QLatin1String("direction"))
        return tr("direction");
    if (attribute == QLatin1String("placement"))
        return tr("placement");
    if (attribute == QLatin1String("background"))
        return tr("background");
    return attribute;
}

void PromptEditor::updateAnalysis()
{
    if (m_analysisTimer)
        m_analysisTimer->stop();
    const QString text = prompt();
    const QByteArray utf8 = text.toUtf8();
    m_expanded.clear();
    m_unknown.clear();
    m_refusal.clear();
    QStringList notes;
    bool ok = false;

    if (!text.trimmed().isEmpty()) {
        const prompt::SafetyVerdict verdict = prompt::checkSafety(utf8.toStdString());
        if (!verdict.allowed)
            m_refusal = q(verdict.message);

        for (const PromptWord& word : analysePromptWords(text))
            if (!m_highlighter->isKnown(word) && !m_unknown.contains(word.text))
                m_unknown.append(word.text);

        const auto expansion = prompt::expandPrompt(utf8.toStdString(), seed());
        if (expansion.ok()) {
            ok = m_refusal.isEmpty();
            m_expanded = q(expansion->caption);
            m_sketch = m_refusal.isEmpty() ? sketchScene(expansion->scene) : QImage();
            QStringList corrections;
            for (const auto& [written, read] : expansion->corrections)
                corrections << tr("“%1” as “%2”").arg(q(written), q(read));
            if (!corrections.isEmpty())
                notes << tr("Read %1.").arg(corrections.join(QStringLiteral(", ")));
            if (!m_unknown.isEmpty())
                notes << tr("Not understood: %1.").arg(m_unknown.join(QStringLiteral(", ")));
            if (!expansion->defaulted.empty()) {
                QStringList picked;
                for (const std::string& attribute : expansion->defaulted)
                    picked << attributeName(q(attribute));
                notes << tr("Picked by the seed: %1.").arg(picked.join(QStringLiteral(", ")));
            }
            for (const std::string& note : expansion->notes)
                notes << q(note);
        } else {
            m_sketch = QImage();
            notes << q(expansion.error().message);
        }
    } else {
        m_sketch = QImage();
    }

    if (m_expanded.isEmpty())
        m_expandedLabel->setText(tr("The model will see: —"));
    else
        m_expandedLabel->setText(tr("The model will see: <b>%1</b>").arg(m_expanded.toHtmlEscaped()));
    m_notesLabel->setText(notes.join(QLatin1Char(' ')));
    m_notesLabel->setVisible(!notes.isEmpty());

    m_refusalLabel->setText(tr("Kinora will not generate this prompt. %1").arg(m_refusal));
    m_refusalLabel->setVisible(!m_refusal.isEmpty());

    if (m_sketch.isNull()) {
        m_sketchLabel->setPixmap(QPixmap());
        m_sketchLabel->setText(m_refusal.isEmpty() ? tr("Sketch") : tr("Refused"));
    } else {
        m_sketchLabel->setPixmap(QPixmap::fromImage(m_sketch));
    }
    m_sketchLabel->setToolTip(m_expanded.isEmpty() ? tr("A sketch of the scene the model will be asked for")
                                                   : tr("Sketch of: %1").arg(m_expanded));

    m_generateButton->setEnabled(ok);
}

void PromptEditor::onChipsChipClicked(prompt::WordKind kind, const QString& word)
{
    const PromptTextEdit edit = chipEdit(prompt(), kind, word);
    replaceRange(edit.start, edit.end, edit.text);
}

void PromptEditor::replaceRange(int start, int end, const QString& replacement)
{
    // One edit of the document, so that Ctrl+Z in the prompt undoes a chip.
    QString text = prompt();
    const QString before = text.left(start);
    QString inserted = replacement;
    if (before.endsWith(QLatin1Char(' ')) && inserted.startsWith(QLatin1Char(' ')))
        inserted.remove(0, 1);
    QTextCursor cursor(m_promptEdit->document());
    cursor.setPosition(start);
    cursor.setPosition(end, QTextCursor::KeepAnchor);
    cursor.insertText(inserted);
    m_promptEdit->setTextCursor(cursor);
    m_promptEdit->setFocus(Qt::OtherFocusReason);
}

void PromptEditor::focusPrompt()
{
    m_promptEdit->setFocus(Qt::OtherFocusReason);
}

void PromptEditor::onUseLastSeedClicked()
{
    if (m_hasLastUsedSeed)
        setSeed(m_lastUsedSeed);
}

void PromptEditor::onRandomSeedClicked()
{
    setSeed(QRandomGenerator::global()->generate());
}

void PromptEditor::onModelComboActivated(int index)
{
    const QString dir = m_modelCombo->itemData(index).toString();
    m_modelCombo->setToolTip(dir);
    Q_EMIT modelDirChanged(dir);
}

void PromptEditor::rememberPrompt(const QString& promptText)
{
    m_history.removeAll(promptText);
    m_history.prepend(promptText);
    while (m_history.size() > kHistorySize)
        m_history.removeLast();
    rebuildHistoryMenu();
    Q_EMIT promptHistoryChanged(m_history);
}

void PromptEditor::rebuildHistoryMenu()
{
    QMenu* menu = m_historyButton->menu();
    menu->clear();
    const QFontMetrics metrics(menu->font());
    for (const QString& p : m_history) {
        QAction* action = menu->addAction(metrics.elidedText(p, Qt::ElideRight, 420));
        action->setToolTip(p);
        connect(action, &QAction::triggered, this, [this, p] { setPrompt(p); });
    }
    if (!m_history.isEmpty()) {
        menu->addSeparator();
        connect(menu->addAction(tr("Clear History")), &QAction::triggered, this, [this] {
            m_history.clear();
            rebuildHistoryMenu();
            Q_EMIT promptHistoryChanged(m_history);
        });
    }
    m_historyButton->setEnabled(!m_history.isEmpty());
}

} // namespace kinora::ui
