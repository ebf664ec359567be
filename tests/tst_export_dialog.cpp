// The export dialog's choices and refusals (offscreen).

#include "ui/export_dialog.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using kinora::ui::ExportDialog;

class TestExportDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void refusesBadPaths_data();
    void refusesBadPaths();
    void acceptsWritableFolder();
    void oddSizeRefused();
    void selectedClipNeedsASelection();
    void markOnPosterOffByDefault();
    void cleanupTestCase() { QFile::remove(m_fifo); }

private:
    QString m_fifo; // a named pipe with an .mp4 name, made by refusesBadPaths_data
    static QPushButton* okButton(ExportDialog& dialog)
    {
        return dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    }
};

void TestExportDialog::refusesBadPaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << ""
                           << "Choose a file";
    QTest::newRow("blank") << "   "
                           << "Choose a file";
    QTest::newRow("missing folder") << "/nonexistent-kinora-folder/clip.mp4"
                                    << "does not exist";
    // /proc refuses new files even to root, whose permission bits say yes to anything.
    QTest::newRow("read-only folder") << "/proc/clip.mp4"
                                      << "cannot write";
    QTest::newRow("a folder") << QDir::tempPath() << "is a folder";
    QTest::newRow("wrong suffix") << QDir::temp().filePath(QStringLiteral("clip.avi")) << ".mp4";
    // Exporting renames the finished file over the target, which would replace a pipe or
    // a device rather than write into it.
    m_fifo = QDir::temp().filePath(QStringLiteral("kinora-export-fifo-%1.mp4").arg(QCoreApplication::applicationPid()));
    QFile::remove(m_fifo);
    QVERIFY(::mkfifo(QFile::encodeName(m_fifo).constData(), 0600) == 0);
    QTest::newRow("a named pipe") << m_fifo << "not a regular file";
}

void TestExportDialog::refusesBadPaths()
{
    QFETCH(QString, path);
    QFETCH(QString, reason);
    ExportDialog dialog;
    dialog.setPath(path);
    QVERIFY2(dialog.problem().contains(reason), qPrintable(dialog.problem()));
    QVERIFY(!okButton(dialog)->isEnabled());
    auto* message = dialog.findChild<QLabel*>(QStringLiteral("messageLabel"));
    QCOMPARE(message->text(), dialog.problem());
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
}

void TestExportDialog::acceptsWritableFolder()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ExportDialog dialog;
    dialog.setVideoSize(QSize(256, 144));
    dialog.setFps(24.0);
    dialog.setCrf(23);
    dialog.setPath(dir.filePath(QStringLiteral("my clip")));
    QVERIFY2(dialog.problem().isEmpty(), qPrintable(dialog.problem()));
    QVERIFY(okButton(dialog)->isEnabled());
    QCOMPARE(dialog.path(), dir.filePath(QStringLiteral("my clip.mp4")));
    QCOMPARE(dialog.size(), QSize(256, 144));
    QCOMPARE(dialog.fps(), 24.0);
    QCOMPARE(dialog.crf(), 23);
    QVERIFY(dialog.wholeTimeline());
    // The probe file is gone again.
    QCOMPARE(
        QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());

    // An existing file is fine, with a note.
    QFile existing(dir.filePath(QStringLiteral("old.mp4")));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.close();
    dialog.setPath(existing.fileName());
    QVERIFY(dialog.problem().isEmpty());
    QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("messageLabel"))
                ->text()
                .contains(QLatin1String("replaced")));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestExportDialog::oddSizeRefused()
{
    QTemporaryDir dir;
    ExportDialog dialog;
    dialog.setPath(dir.filePath(QStringLiteral("a.mp4")));
    dialog.findChild<QSpinBox*>(QStringLiteral("widthSpin"))->setValue(201);
    QVERIFY(dialog.problem().contains(QLatin1String("even")));
    QVERIFY(!okButton(dialog)->isEnabled());
    dialog.findChild<QSpinBox*>(QStringLiteral("widthSpin"))->setValue(200);
    QVERIFY(okButton(dialog)->isEnabled());
}

void TestExportDialog::selectedClipNeedsASelection()
{
    ExportDialog dialog;
    dialog.setSelectedClipAvailable(true);
    dialog.setWholeTimeline(false);
    QVERIFY(!dialog.wholeTimeline());
    dialog.setSelectedClipAvailable(false);
    QVERIFY(dialog.wholeTimeline());
    QVERIFY(!dialog.findChild<QRadioButton*>(QStringLiteral("clipRadio"))->isEnabled());
}

void TestExportDialog::markOnPosterOffByDefault()
{
    ExportDialog dialog;
    auto* mark = dialog.findChild<QCheckBox*>(QStringLiteral("markCheck"));
    auto* poster = dialog.findChild<QCheckBox*>(QStringLiteral("posterCheck"));
    QVERIFY(mark && poster);
    // Exports carry the visible label unless the creator turns it off; posters are asked for.
    QVERIFY(dialog.mark());
    QVERIFY(!dialog.poster());
    // Both work from the keyboard and by clicking.
    QCOMPARE(mark->focusPolicy() & Qt::TabFocus, Qt::TabFocus);
    QTest::keyClick(mark, Qt::Key_Space);
    QVERIFY(!dialog.mark());
    QTest::mouseClick(poster, Qt::LeftButton, {}, QPoint(8, poster->height() / 2));
    QVERIFY(dialog.poster());
    dialog.setMark(true);
    QVERIFY(mark->isChecked());
}

QTEST_MAIN(TestExportDialog)
#include "tst_export_dialog.moc"
