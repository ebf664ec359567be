#include "ui/settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

namespace kinora::ui {

namespace {

constexpr double kGuidanceDefault = -0.5; // the spin box's minimum, shown as "model default"

} // namespace

SettingsDialog::SettingsDialog(const StudioSettingsValues& values, QWidget* parent)
    : QDialog(parent)
{
    m_deviceLabel = new QLabel(this);
    m_deviceCombo = new QComboBox(this);
    m_deviceCombo->setObjectName(QStringLiteral("deviceCombo"));
    m_deviceCombo->addItem(QString(), QStringLiteral("auto"));
    m_deviceCombo->addItem(QString(), QStringLiteral("cpu"));
    m_deviceCombo->addItem(QString(), QStringLiteral("cuda"));
    m_deviceLabel->setBuddy(m_deviceCombo);

    m_threadsLabel = new QLabel(this);
    m_threadsSpin = new QSpinBox(this);
    m_threadsSpin->setObjectName(QStringLiteral("threadsSpin"));
    m_threadsSpin->setRange(0, 256);
    m_threadsLabel->setBuddy(m_threadsSpin);

    m_stepsLabel = new QLabel(this);
    m_stepsSpin = new QSpinBox(this);
    m_stepsSpin->setObjectName(QStringLiteral("stepsSpin"));
    m_stepsSpin->setRange(0, 500);
    m_stepsLabel->setBuddy(m_stepsSpin);

    m_guidanceLabel = new QLabel(this);
    m_guidanceSpin = new QDoubleSpinBox(this);
    m_guidanceSpin->setObjectName(QStringLiteral("guidanceSpin"));
    m_guidanceSpin->setRange(kGuidanceDefault, 30.0);
    m_guidanceSpin->setSingleStep(0.5);
    m_guidanceSpin->setDecimals(1);
    m_guidanceLabel->setBuddy(m_guidanceSpin);

    m_folderLabel = new QLabel(this);
    m_folderEdit = new QLineEdit(this);
    m_folderEdit->setObjectName(QStringLiteral("folderEdit"));
    m_folderEdit->setMinimumWidth(280);
    m_folderLabel->setBuddy(m_folderEdit);
    m_browseButton = new QPushButton(this);

    m_messageLabel = new QLabel(this);
    m_messageLabel->setObjectName(QStringLiteral("messageLabel"));
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setTextFormat(Qt::PlainText);
    m_messageLabel->setStyleSheet(QStringLiteral("color: #b71c1c;"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folderEdit, 1);
    folderRow->addWidget(m_browseButton);
    auto* form = new QFormLayout;
    form->addRow(m_deviceLabel, m_deviceCombo);
    form->addRow(m_threadsLabel, m_threadsSpin);
    form->addRow(m_stepsLabel, m_stepsSpin);
    form->addRow(m_guidanceLabel, m_guidanceSpin);
    form->addRow(m_folderLabel, folderRow);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_messageLabel);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_browseButton, &QPushButton::clicked, this, &SettingsDialog::onBrowseClicked);
    connect(m_folderEdit, &QLineEdit::textChanged, this, &SettingsDialog::validate);

    setValues(values);
    retranslateUi();
}

void SettingsDialog::retranslateUi()
{
    setWindowTitle(tr("Settings"));
    m_deviceLabel->setText(tr("&Device"));
    m_deviceCombo->setItemText(0, tr("Automatic (CUDA when available, else CPU)"));
    m_deviceCombo->setItemText(1, tr("CPU"));
    m_deviceCombo->setItemText(
        2, m_cudaAvailable ? tr("CUDA (NVIDIA GPU)") : tr("CUDA (not available in this build)"));
    m_threadsLabel->setText(tr("&Threads"));
    m_threadsSpin->setSpecialValueText(tr("Every core (%1)").arg(QThread::idealThreadCount()));
    m_threadsSpin->setToolTip(tr("CPU threads for generation; the change applies to the next job"));
    m_stepsLabel->setText(tr("Default &steps"));
    m_stepsSpin->setSpecialValueText(tr("Model default"));
    m_guidanceLabel->setText(tr("Default &guidance"));
    m_guidanceSpin->setSpecialValueText(tr("Model default"));
    m_folderLabel->setText(tr("&Projects folder"));
    m_browseButton->setText(tr("&Browse…"));
    validate();
}

void SettingsDialog::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void SettingsDialog::setValues(const StudioSettingsValues& values)
{
    const int device = m_deviceCombo->findData(values.device.toLower());
    m_deviceCombo->setCurrentIndex(device >= 0 ? device : 0);
    m_threadsSpin->setValue(qMax(0, values.threads));
    m_stepsSpin->setValue(qMax(0, values.defaultSteps));
    m_guidanceSpin->setValue(values.defaultGuidance < 0 ? kGuidanceDefault : values.defaultGuidance);
    m_folderEdit->setText(QDir::toNativeSeparators(values.projectsFolder));
}

StudioSettingsValues SettingsDialog::values() const
{
    StudioSettingsValues values;
    values.device = m_deviceCombo->currentData().toString();
    values.threads = m_threadsSpin->value();
    values.defaultSteps = m_stepsSpin->value();
    values.defaultGuidance = m_guidanceSpin->value() < 0 ? -1.0 : m_guidanceSpin->value();
    values.projectsFolder = QDir::fromNativeSeparators(m_folderEdit->text().trimmed());
    return values;
}

void SettingsDialog::setCudaAvailable(bool available)
{
    m_cudaAvailable = available;
    retranslateUi();
}

void SettingsDialog::onBrowseClicked()
{
    const QString dir
        = QFileDialog::getExistingDirectory(this, tr("Projects Folder"), values().projectsFolder);
    if (!dir.isEmpty())
        m_folderEdit->setText(QDir::toNativeSeparators(dir));
}

void SettingsDialog::validate()
{
    const QString folder = values().projectsFolder;
    const QFileInfo info(folder);
    if (folder.isEmpty())
        m_problem = tr("Choose a folder for your projects.");
    else if (info.exists() && !info.isDir())
        m_problem = tr("%1 is a file, not a folder.").arg(QDir::toNativeSeparators(folder));
    else
        m_problem.clear(); // a folder that does not exist yet is made on first save
    m_messageLabel->setText(m_problem);
    m_messageLabel->setVisible(!m_problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_problem.isEmpty());
}

} // namespace kinora::ui
