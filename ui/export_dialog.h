#pragma once

// Export as MP4 (H.264): the whole timeline or the selected clip, where to, quality
// (x264 CRF), frame size and frame rate, the visible AI label (on by default) and a poster
// PNG of the frame at the playhead beside the MP4. OK stays disabled, with the reason shown,
// while the choice cannot work (no file name, a folder that is missing or read-only,
// an odd frame size).

#include <QDialog>
#include <QSize>
#include <QString>

class QCheckBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace kinora::ui {

class ExportDialog : public QDialog {
    Q_OBJECT

public:
    static constexpr int kDefaultCrf = 18;

    explicit ExportDialog(QWidget* parent = nullptr);

    // Whether a clip is selected; without one only the timeline can be exported.
    void setSelectedClipAvailable(bool available);
    void setWholeTimeline(bool whole);
    void setPath(const QString& path);
    void setCrf(int crf);
    void setVideoSize(const QSize& size);
    void setFps(double fps);
    void setMark(bool mark);
    void setPoster(bool poster);

    // The output file; ".mp4" is added when the name has no suffix.
    QString path() const;
    int crf() const;
    // The frame size to export. Hides QWidget::size() on purpose: callers holding an
    // ExportDialog get the video size; videoSize() says the same without the surprise.
    QSize size() const { return videoSize(); }
    QSize videoSize() const;
    double fps() const;
    bool wholeTimeline() const;
    bool mark() const;   // draw the visible "AI" label
    bool poster() const; // also write <file>.png of the frame at the playhead

    // Why OK is disabled, "" when the choice is fine.
    QString problem() const { return m_problem; }

public Q_SLOTS:
    // Checks once more (the folder may have changed) and refuses while there is a problem.
    void accept() override;

protected:
    void changeEvent(QEvent* event) override;

private Q_SLOTS:
    void onBrowseClicked();
    void validate();

private:
    void retranslateUi();
    bool folderWritable(const QString& folder);

    QRadioButton* m_timelineRadio = nullptr;
    QRadioButton* m_clipRadio = nullptr;
    QLabel* m_whatLabel = nullptr;
    QLabel* m_pathLabel = nullptr;
    QLineEdit* m_pathEdit = nullptr;
    QPushButton* m_browseButton = nullptr;
    QLabel* m_crfLabel = nullptr;
    QSpinBox* m_crfSpin = nullptr;
    QLabel* m_crfHint = nullptr;
    QLabel* m_sizeLabel = nullptr;
    QSpinBox* m_widthSpin = nullptr;
    QSpinBox* m_heightSpin = nullptr;
    QLabel* m_byLabel = nullptr;
    QLabel* m_fpsLabel = nullptr;
    QDoubleSpinBox* m_fpsSpin = nullptr;
    QCheckBox* m_markCheck = nullptr;
    QCheckBox* m_posterCheck = nullptr;
    QLabel* m_messageLabel = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QString m_problem;
    // The last folder probed for writing, so typing a file name does not touch the disk
    // on every key.
    QString m_probedFolder;
    bool m_probedWritable = false;
};

} // namespace kinora::ui
