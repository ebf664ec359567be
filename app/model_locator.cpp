#include "app/model_locator.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>

namespace kinora::app {

namespace {

QStringList candidates()
{
    // An explicit choice is the only one: a wrong $KINORA_MODEL is an error, not a
    // reason to fall back to another pack.
    const QString env = qEnvironmentVariable("KINORA_MODEL");
    if (!env.isEmpty())
        return {env};
    const QDir bin(QCoreApplication::applicationDirPath());
    return {bin.filePath(QStringLiteral("../share/kinora/models/default")),
            bin.filePath(QStringLiteral("../../resources/models/default")),
            bin.filePath(QStringLiteral("../models/default"))};
}

} // namespace

QString findDefaultModel()
{
    const QStringList list = candidates();
    if (!qEnvironmentVariable("KINORA_MODEL").isEmpty())
        return list.first(); // loading it names what is wrong with it
    for (const auto& c : list)
        if (QFileInfo::exists(QDir(c).filePath(QStringLiteral("model.json"))))
            return QDir(c).canonicalPath();
    return {};
}

QString defaultModelSearchText()
{
    QStringList list;
    for (const auto& c : candidates())
        list << QDir::cleanPath(c);
    return list.join(QStringLiteral(", "));
}

} // namespace kinora::app
