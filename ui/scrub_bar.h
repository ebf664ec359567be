#pragma once

// The player's position slider: jumps to where it is clicked and shades the range
// between the in and out marks.

#include <QSlider>

namespace kinora::ui {

class ScrubBar : public QSlider {
    Q_OBJECT

public:
    explicit ScrubBar(QWidget* parent = nullptr);

    // -1 for an unset mark.
    void setMarks(int in, int out);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    int pixelForValue(int value) const;

    int m_in = -1;
    int m_out = -1;
};

} // namespace kinora::ui
