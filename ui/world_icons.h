#pragma once

// Pictures of the shapes world for the prompt editor: the sketch of a scene and the
// icons of the vocabulary chips. Drawn from core/world, so they always match what the
// model was trained on (../shared/WORLD.md).

#include "world/world.h"

#include <QIcon>
#include <QImage>

namespace kinora::ui {

// An RGB24 frame as a QImage (deep copy; Format_RGB888).
QImage frameToImage(const Frame& frame);

// The middle frame of the scene's first generation window, 128 x 128.
QImage sketchScene(const world::Scene& scene);

QIcon colourIcon(world::Color colour);
QIcon shapeIcon(world::Shape shape);
QIcon sizeIcon(world::Size size);
QIcon backgroundIcon(world::Background background);

} // namespace kinora::ui
