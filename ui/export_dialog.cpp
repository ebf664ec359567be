#include "ui/export_dialog.h"

#include <QButtonGroup>
#include <QCheckBox>
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
#include <QRadioButton>
#include <QSpinBox>
#include <QTemporaryFile>
#include <QVBoxLayout>

namespace kinora::ui {

ExportDialog::ExportDialog(QWidget* parent)
    : QDialog(parent)
{
    m_whatLabel = new QLabel(this);
    m_timelineRadio = new QRadioButton(this);
    m_timelineRadio->setObjectName(QStringLiteral("timelineRadio"));
    m_clipRadio = new QRadioButton(this);
    m_clipRadio->setObjectName(QStringLiteral("clipRadio"));
    m_timelineRadio->setChecked(true);
    auto* group = new QButtonGroup(this);
    group->addButton(m_timelineRadio);
    group->addButton(m_clipRadio);

    m_pathLabel = new QLabel(this);
    m_pathEdit = new QLineEdit(this);
    m_pathEdit->setObjectName(QStringLiteral("pathEdit"));
    m_pathEdit->setMinimumWidth(320);
    m_pathLabel->setBuddy(m_pathEdit);
    m_browseButton = new QPushButton(this);
    m_browseButton->setObjectName(QStringLiteral("browseButton"));

    m_crfLabel = new QLabel(this);
    m_crfSpin = new QSpinBox(this);
    m_crfSpin->setObjectName(QStringLiteral("crfSpin"));
    m_crfSpin->setRange(0, 51);
    m_crfSpin->setValue(kDefaultCrf);
    m_crfLabel->setBuddy(m_crfSpin);
    m_crfHint = new QLabel(this);

    m_sizeLabel = new QLabel(this);
    m_widthSpin = new QSpinBox(this);
    m_widthSpin->setObjectName(QStringLiteral("widthSpin"));
    m_heightSpin = new QSpinBox(this);
    m_heightSpin->setObjectName(QStringLiteral("heightSpin"));
    for (QSpinBox* spin : { m_widthSpin, m_heightSpin }) {
        spin->setRange(16, 7680);
        spin->setSingleStep(2);
        spin->setValue(128);
    }
    m_sizeLabel->setBuddy(m_widthSpin);
    m_byLabel = new QLabel(QStringLiteral("\u00d7"), this);

    m_fpsLabel = new QLabel(this);
    m_fpsSpin = new QDoubleSpinBox(this);
    m_fpsSpin->setObjectName(QStringLiteral("fpsSpin"));
    m_fpsSpin->setRange(1.0, 120.0);
    m_fpsSpin->setDecimals(2);
    m_fpsSpin->setValue(8.0);
    m_fpsLabel->setBuddy(m_fpsSpin);

    m_markCheck = new QCheckBox(this);
    m_markCheck->setObjectName(QStringLiteral("markCheck"));
    m_markCheck->setChecked(true);
    m_posterCheck = new QCheckBox(this);
    m_posterCheck->setObjectName(QStringLiteral("posterCheck"));

    m_messageLabel = new QLabel(this);
    m_messageLabel->setObjectName(QStringLiteral("messageLabel"));
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setTextFormat(Qt::PlainText);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    auto* what = new QHBoxLayout;
    what->addWidget(m_timelineRadio);
    what->addWidget(m_clipRadio);
    what->addStretch(1);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_pathEdit, 1);
    pathRow->addWidget(m_browseButton);
    auto* crfRow = new QHBoxLayout;
    crfRow->addWidget(m_crfSpin);
    crfRow->addWidget(m_crfHint, 1);
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_widthSpin);
    sizeRow->addWidget(m_byLabel);
    sizeRow->addWidget(m_heightSpin);
    sizeRow->addStretch(1);

    auto* form = new QFormLayout;
    form->addRow(m_whatLabel, what);
    form->addRow(m_pathLabel, pathRow);
    form->addRow(m_crfLabel, crfRow);
    form->addRow(m_sizeLabel, sizeRow);
    form->addRow(m_fpsLabel, m_fpsSpin);
    form->addRow(QString(), m_markCheck);
    form->addRow(QString(), m_posterCheck);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_messageLabel);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_browseButton, &QPushButton::clicked, this, &ExportDialog::onBrowseClicked);
    connect(m_pathEdit, &QLineEdit::textChanged, this, &ExportDialog::validate);
    connect(m_widthSpin, &QSpinBox::valueChanged, this, &ExportDialog::validate);
    connect(m_heightSpin, &QSpinBox::valueChanged, this, &ExportDialog::validate);

    retranslateUi();
}

void ExportDialog::retranslateUi()
{
    setWindowTitle(tr("Export Video"));
    m_whatLabel->setText(tr("Export"));
    m_timelineRadio->setText(tr("&Whole timeline"));
    m_clipRadio->setText(tr("&Selected clip"));
    m_pathLabel->setText(tr("&File"));
    m_pathEdit->setPlaceholderText(tr("Where to save the MP4 file"));
    m_browseButton->setText(tr("&Browse…"));
    m_crfLabel->setText(tr("&Quality (CRF)"));
    m_crfHint->setText(tr("lower is better and bigger; 18 looks lossless"));
    m_sizeLabel->setText(tr("Frame si&ze"));
    m_fpsLabel->setText(tr("F&rame rate"));
    m_fpsSpin->setSuffix(tr(" fps"));
    m_markCheck->setText(tr("Visible &AI label in the corner"));
    m_markCheck->setToolTip(tr("Every MP4 says it was made by AI in its metadata (XMP); this also draws a small label into the picture."));
    m_posterCheck->setText(tr("Also save a &poster (PNG) of the frame at the playhead"));
    m_posterCheck->setToolTip(tr("Written beside the MP4 with the same name; it keeps the generation record and the AI label in its metadata."));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    validate();
}

void ExportDialog::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void ExportDialog::setSelectedClipAvailable(bool available)
{
    m_clipRadio->setEnabled(available);
    if (!available)
        m_timelineRadio->setChecked(true);
}

void ExportDialog::setWholeTimeline(bool whole)
{
    if (whole || !m_clipRadio->isEnabled())
        m_timelineRadio->setChecked(true);
    else
        m_clipRadio->setChecked(true);
}

void ExportDialog::setPath(const QString& path)
{
    m_pathEdit->setText(QDir::toNativeSeparators(path));
}

void ExportDialog::setCrf(int crf)
{
    m_crfSpin->setValue(crf);
}

void ExportDialog::setVideoSize(const QSize& size)
{
    m_widthSpin->setValue(size.width());
    m_heightSpin->setValue(size.height());
}

void ExportDialog::setFps(double fps)
{
    m_fpsSpin->setValue(fps);
}

QString ExportDialog::path() const
{
    QString path = QDir::fromNativeSeparators(m_pathEdit->text().trimmed());
    if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty() && !QFileInfo(path).isDir())
        path += QStringLiteral(".mp4");
    return path;
}

int ExportDialog::crf() const
{
    return m_crfSpin->value();
}

QSize ExportDialog::videoSize() const
{
    return { m_widthSpin->value(), m_heightSpin->value() };
}

double ExportDialog::fps() const
{
    return m_fpsSpin->value();
}

bool ExportDialog::wholeTimeline() const
{
    return m_timelineRadio->isChecked();
}

void ExportDialog::onBrowseClicked()
{
    const QString chosen
        = QFileDialog::getSaveFileName(this, tr("Export Video"), path(), tr("MP4 video (*.mp4)"));
    if (!chosen.isEmpty())
        setPath(chosen);
}

void ExportDialog::accept()
{
    m_probedFolder.clear();
    validate();
    if (m_problem.isEmpty())
        QDialog::accept();
}

bool ExportDialog::folderWritable(const QString& folder)
{
    // Permission bits do not tell (root, read-only mounts, ACLs): try a file.
    if (folder != m_probedFolder) {
        QTemporaryFile probe(QDir(folder).filePath(QStringLiteral(".kinora-export-XXXXXX")));
        m_probedWritable = probe.open();
        m_probedFolder = folder;
    }
    return m_probedWritable;
}

void ExportDialog::validate()
{
    const QString file = path();
    const QFileInfo info(file);
    const QString folder = info.absolutePath();
    QString note;
    if (file.isEmpty())
        m_problem = tr("Choose a file to export to.");
    else if (info.isDir())
        m_problem = tr("%1 is a folder; add a file name.").arg(QDir::toNativeSeparators(file));
    else if (info.suffix().compare(QLatin1String("mp4"), Qt::CaseInsensitive) != 0)
        m_problem = tr("The file name must end in .mp4.");
    else if (!QFileInfo(folder).isDir())
        m_problem = tr("The folder %1 does not exist.").arg(QDir::toNativeSeparators(folder));
    else if (info.exists() && !info.isFile())
        m_problem = tr("%1 is not a regular file (a device, a pipe or a socket): choose another name.")
                        .arg(QDir::toNativeSeparators(file));
    else if (!folderWritable(folder))
        m_problem = tr("You cannot write to the folder %1.").arg(QDir::toNativeSeparators(folder));
    else if (m_widthSpin->value() % 2 != 0 || m_heightSpin->value() % 2 != 0)
        m_problem = tr("Width and height must be even numbers (H.264 needs it).");
    else
        m_problem.clear();
    if (m_problem.isEmpty() && info.exists())
        note = tr("%1 exists and will be replaced.").arg(info.fileName());

    m_messageLabel->setText(m_problem.isEmpty() ? note : m_problem);
    m_messageLabel->setStyleSheet(m_problem.isEmpty() ? QString() : QStringLiteral("color: #b71c1c;"));
    m_messageLabel->setVisible(!m_messageLabel->text().isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_problem.isEmpty());
}

void ExportDialog::setMark(bool mark) { m_markCheck->setChecked(mark); }

void ExportDialog::setPoster(bool poster) { m_posterCheck->setChecked(poster); }

bool ExportDialog::mark() const { return m_markCheck->isChecked(); }

bool ExportDialog::poster() const { return m_posterCheck->isChecked(); }

} // namespace kinora::ui
