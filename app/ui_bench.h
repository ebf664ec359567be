#pragma once

// `kinora --bench-ui`: how responsive the studio's event loop stays while work runs. A
// precise 5 ms timer ticks on the UI thread; every tick that arrives late is a stall of
// the loop. Two scenarios: real generations queued through the studio (default; then a
// draft promoted to final and a join inspected and smoothed), or
// (--bench-save-takes N) Save As of a project of N long takes through the window's own
// save, while a prompt is typed into the focused prompt box. Prints one JSON object
// (worst, 99th percentile and mean lateness).

#include <QString>

#include <functional>

namespace kinora::app {
class Studio;

struct UiBenchOptions {
    int generations = 3;
    double seconds = 2.0;
    // Save scenario: takes in the project (0: the generation scenario), each this long.
    int saveTakes = 0;
    double takeSeconds = 10.0;
    // The window's Save As (MainWindow::saveProjectTo): true when saved.
    std::function<bool(const QString& path)> save;
    // The window's join inspector (MainWindow::inspectJoin): after the generations the
    // generation scenario also makes a draft and promotes it, opens the inspector on the
    // first join and smooths that join, all measured.
    std::function<void(int joinIndex)> inspectJoin;
};

// Runs inside a started QApplication with the main window shown; returns the exit code.
int runUiBench(Studio& studio, const UiBenchOptions& options);

} // namespace kinora::app
