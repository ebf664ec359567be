#pragma once

// Paints the frames a QVideoSink receives, scaled to fit and centred. Used instead of
// QVideoWidget because it draws with QPainter: it works on every platform plugin
// (offscreen and Xvfb included) and QWidget::grab() captures it.

#include <QImage>
#include <QString>
#include <QWidget>

class QVideoFrame;
class QVideoSink;

namespace kinora::ui {

class VideoView : public QWidget {
    Q_OBJECT

public:
    explicit VideoView(QWidget* parent = nullptr);

    QVideoSink* videoSink() const { return m_sink; }
    QImage currentImage() const { return m_image; }
    // Shown while there is no frame.
    void setPlaceholderText(const QString& text);
    void clear();

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private Q_SLOTS:
    void onSinkVideoFrameChanged(const QVideoFrame& frame);

private:
    QVideoSink* m_sink = nullptr;
    QImage m_image;
    QString m_placeholder;
};

} // namespace kinora::ui
