#pragma once

// Clickable chips for the vocabulary the built-in model knows (../shared/WORLD.md):
// colour swatches painted in the colour, shape, size, motion and background buttons.
// Each chip names the canonical world word it inserts.

#include "prompt/prompt.h"

#include <QString>
#include <QWidget>

class QToolButton;

namespace kinora::ui {

class VocabularyChips : public QWidget {
    Q_OBJECT

public:
    explicit VocabularyChips(QWidget* parent = nullptr);

    // The chip for a kind and canonical word (object name "chip_<kind>_<word>", spaces
    // as underscores), or nullptr.
    QToolButton* chip(prompt::WordKind kind, const QString& word) const;

Q_SIGNALS:
    // word: what to put into the prompt, e.g. "red", "star", "moving to the left".
    void chipClicked(kinora::prompt::WordKind kind, const QString& word);

private:
    QToolButton* addChip(QLayout* row, prompt::WordKind kind, const QString& key, const QString& word);
};

} // namespace kinora::ui
