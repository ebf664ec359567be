#pragma once

// `kinora --bench-ui`: how responsive the studio's event loop stays while the engine
// generates. A precise 5 ms timer ticks on the UI thread during real generations queued
// through the studio; every tick that arrives late is a stall of the loop. Prints one
// JSON object (worst, 99th percentile and mean lateness).

namespace kinora::app {
class Studio;

struct UiBenchOptions {
    int generations = 3;
    double seconds = 2.0;
};

// Runs inside a started QApplication with the main window shown; returns the exit code.
int runUiBench(Studio& studio, const UiBenchOptions& options);

} // namespace kinora::app
