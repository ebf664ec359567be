#pragma once

// Preferences: the device the engine runs on, its thread count, the default steps and
// guidance for new generations, and where projects are kept. Takes and returns plain
// values; the app stores them (app/settings.h), nothing here touches QSettings.

#include <QDialog>
#include <QString>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace kinora::ui {

struct StudioSettingsValues {
    QString device = QStringLiteral("auto"); // auto | cpu | cuda
    int threads = 0; // 0: every core
    int defaultSteps = 0; // 0: the model pack's default
    double defaultGuidance = -1.0; // < 0: the model pack's default
    QString projectsFolder;
};

class SettingsDialog : public QDialog {
    Q_OBJECT

public:
    explicit SettingsDialog(const StudioSettingsValues& values = {}, QWidget* parent = nullptr);

    void setValues(const StudioSettingsValues& values);
    StudioSettingsValues values() const;
    // Whether this LibTorch build can use CUDA; the CUDA entry says so when it cannot.
    void setCudaAvailable(bool available);

    QString problem() const { return m_problem; }

protected:
    void changeEvent(QEvent* event) override;

private Q_SLOTS:
    void onBrowseClicked();
    void validate();

private:
    void retranslateUi();

    QLabel* m_deviceLabel = nullptr;
    QComboBox* m_deviceCombo = nullptr;
    QLabel* m_threadsLabel = nullptr;
    QSpinBox* m_threadsSpin = nullptr;
    QLabel* m_stepsLabel = nullptr;
    QSpinBox* m_stepsSpin = nullptr;
    QLabel* m_guidanceLabel = nullptr;
    QDoubleSpinBox* m_guidanceSpin = nullptr;
    QLabel* m_folderLabel = nullptr;
    QLineEdit* m_folderEdit = nullptr;
    QPushButton* m_browseButton = nullptr;
    QLabel* m_messageLabel = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    bool m_cudaAvailable = true;
    QString m_problem;
};

} // namespace kinora::ui
