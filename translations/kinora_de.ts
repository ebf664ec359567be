<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>Lineage</name>
    <message>
        <location filename="../app/lineage.cpp" line="70"/>
        <source>extended</source>
        <translation>verlängert</translation>
    </message>
    <message>
        <location filename="../app/lineage.cpp" line="71"/>
        <source>extended backwards</source>
        <translation>nach vorn verlängert</translation>
    </message>
    <message>
        <location filename="../app/lineage.cpp" line="72"/>
        <source>bridged</source>
        <translation>überbrückt</translation>
    </message>
    <message>
        <location filename="../app/lineage.cpp" line="73"/>
        <source>filled</source>
        <translation>gefüllt</translation>
    </message>
    <message>
        <location filename="../app/lineage.cpp" line="74"/>
        <source>re-rolled</source>
        <translation>neu gewürfelt</translation>
    </message>
    <message>
        <location filename="../app/lineage.cpp" line="75"/>
        <source>promoted to final</source>
        <translation>final gerechnet</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/project_io.cpp" line="50"/>
        <source>%1 does not exist</source>
        <translation>%1 existiert nicht</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="52"/>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="54"/>
        <source>%1 is %2 MiB; a Kinora project file is at most %3 MiB</source>
        <translation>%1 ist %2 MiB groß; eine Kinora-Projektdatei hat höchstens %3 MiB</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="61"/>
        <source>%1 is not a Kinora project (not valid JSON: %2)</source>
        <translation>%1 ist kein Kinora-Projekt (kein gültiges JSON: %2)</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="73"/>
        <location filename="../app/project_io.cpp" line="76"/>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../app/frame_io.cpp" line="36"/>
        <source>the disk is full or the file is too large</source>
        <translation>der Datenträger ist voll oder die Datei zu groß</translation>
    </message>
</context>
<context>
    <name>kinora::app::Commands</name>
    <message>
        <location filename="../app/commands.cpp" line="11"/>
        <source>Add clip</source>
        <translation>Clip hinzufügen</translation>
    </message>
    <message>
        <location filename="../app/commands.cpp" line="43"/>
        <source>Move clip</source>
        <translation>Clip verschieben</translation>
    </message>
    <message>
        <location filename="../app/commands.cpp" line="25"/>
        <source>Delete clip</source>
        <translation>Clip löschen</translation>
    </message>
    <message>
        <location filename="../app/commands.cpp" line="81"/>
        <source>Split clip</source>
        <translation>Clip teilen</translation>
    </message>
</context>
<context>
    <name>kinora::app::Job</name>
    <message>
        <location filename="../app/job.cpp" line="49"/>
        <source>The prompt is empty: describe what the clip should show.</source>
        <translation>Der Prompt ist leer: Beschreiben Sie, was der Clip zeigen soll.</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="51"/>
        <source>The prompt is too long: at most %1 characters are taken.</source>
        <translation>Der Prompt ist zu lang: höchstens %1 Zeichen werden angenommen.</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="62"/>
        <source>Generate</source>
        <translation>Erzeugen</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="63"/>
        <source>Re-roll</source>
        <translation>Neu würfeln</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="64"/>
        <source>Extend</source>
        <translation>Verlängern</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="65"/>
        <source>Bridge</source>
        <translation>Überbrücken</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="66"/>
        <source>Regenerate frames</source>
        <translation>Bilder neu erzeugen</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="67"/>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="68"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="76"/>
        <source>Queued</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="77"/>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="78"/>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="79"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/job.cpp" line="80"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
</context>
<context>
    <name>kinora::app::JobWorker</name>
    <message>
        <location filename="../app/job_worker.cpp" line="72"/>
        <source>no model pack found</source>
        <translation>kein Modellpaket gefunden</translation>
    </message>
    <message>
        <location filename="../app/job_worker.cpp" line="171"/>
        <source>internal error: %1</source>
        <translation>interner Fehler: %1</translation>
    </message>
    <message>
        <location filename="../app/job_worker.cpp" line="221"/>
        <source>this operation needs one source clip</source>
        <translation>dieser Vorgang braucht genau einen Quell-Clip</translation>
    </message>
    <message>
        <location filename="../app/job_worker.cpp" line="366"/>
        <source>no model pack is loaded (%1)</source>
        <translation>kein Modellpaket geladen (%1)</translation>
    </message>
    <message>
        <location filename="../app/job_worker.cpp" line="351"/>
        <location filename="../app/job_worker.cpp" line="373"/>
        <location filename="../app/job_worker.cpp" line="385"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../app/job_worker.cpp" line="402"/>
        <source>there is nothing to export</source>
        <translation>es gibt nichts zu exportieren</translation>
    </message>
    <message>
        <location filename="../app/job_worker.cpp" line="430"/>
        <source>wrote %1, but not its poster: %2</source>
        <translation>%1 geschrieben, aber nicht das Standbild dazu: %2</translation>
    </message>
    <message>
        <location filename="../app/job_worker.cpp" line="450"/>
        <source>%1 has no video frames</source>
        <translation>%1 enthält keine Videobilder</translation>
    </message>
    <message>
        <location filename="../app/job_worker.cpp" line="220"/>
        <source>a bridge needs the clip and the next one</source>
        <translation>eine Überbrückung braucht den Clip und den nächsten</translation>
    </message>
    <message>
        <location filename="../app/job_worker.cpp" line="469"/>
        <source>cannot create the media folder %1</source>
        <translation>der Medienordner %1 kann nicht angelegt werden</translation>
    </message>
</context>
<context>
    <name>kinora::app::ProjectDocument</name>
    <message>
        <location filename="../app/project.cpp" line="110"/>
        <source>Untitled</source>
        <translation>Unbenannt</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="166"/>
        <source>Trim clip</source>
        <translation>Clip trimmen</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="193"/>
        <source>Add take</source>
        <translation>Take hinzufügen</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="204"/>
        <source>Switch take</source>
        <translation>Take wechseln</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="117"/>
        <source>this is not a Kinora project file</source>
        <translation>dies ist keine Kinora-Projektdatei</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="121"/>
        <source>this project was saved by a newer Kinora (schema %1; this version reads up to %2)</source>
        <translation>dieses Projekt wurde mit einer neueren Kinora-Version gespeichert (Schema %1; diese Version liest bis %2)</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="126"/>
        <source>the project has %1 clips; Kinora opens at most %2</source>
        <translation>das Projekt hat %1 Clips; Kinora öffnet höchstens %2</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="132"/>
        <source>clip %1 of the project has %2 takes; Kinora opens at most %3</source>
        <translation>Clip %1 des Projekts hat %2 Takes; Kinora öffnet höchstens %3</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="144"/>
        <source>the project file is damaged: a take of clip %1 is incomplete</source>
        <translation>die Projektdatei ist beschädigt: ein Take von Clip %1 ist unvollständig</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="151"/>
        <source>the project file is damaged: clip %1 is incomplete</source>
        <translation>die Projektdatei ist beschädigt: Clip %1 ist unvollständig</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="158"/>
        <source>the project&apos;s storyboard has %1 shots; Kinora opens at most %2</source>
        <translation>das Storyboard des Projekts hat %1 Einstellungen; Kinora öffnet höchstens %2</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="164"/>
        <source>the project file is damaged: the storyboard&apos;s seed is not a number</source>
        <translation>die Projektdatei ist beschädigt: der Seed des Storyboards ist keine Zahl</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="177"/>
        <source>the project file is damaged: shot %1 of the storyboard is incomplete</source>
        <translation>die Projektdatei ist beschädigt: Einstellung %1 des Storyboards ist unvollständig</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="189"/>
        <location filename="../app/project_io.cpp" line="238"/>
        <source>cannot create the media folder %1</source>
        <translation>der Medienordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="232"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="245"/>
        <source>cannot copy %1 into %2 (is the disk full?)</source>
        <translation>%1 kann nicht nach %2 kopiert werden (ist der Datenträger voll?)</translation>
    </message>
    <message>
        <location filename="../app/project_io.cpp" line="304"/>
        <source>%1 is not a recovery file</source>
        <translation>%1 ist keine Wiederherstellungsdatei</translation>
    </message>
</context>
<context>
    <name>kinora::app::Studio</name>
    <message>
        <location filename="../app/studio.cpp" line="80"/>
        <source>Cannot queue the job</source>
        <translation>Der Auftrag kann nicht eingereiht werden</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="125"/>
        <location filename="../app/studio.cpp" line="196"/>
        <location filename="../app/studio.cpp" line="250"/>
        <location filename="../app/studio.cpp" line="351"/>
        <location filename="../app/studio.cpp" line="372"/>
        <location filename="../app/studio.cpp" line="392"/>
        <location filename="../app/studio.cpp" line="438"/>
        <source>No model pack is loaded: %1</source>
        <translation>Kein Modellpaket geladen: %1</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="160"/>
        <source>Select a clip to re-roll.</source>
        <translation>Wählen Sie einen Clip zum Neuwürfeln aus.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="168"/>
        <source>Select a clip to promote.</source>
        <translation>Wählen Sie einen Clip, der fertiggestellt werden soll.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="170"/>
        <source>This clip is already final.</source>
        <translation>Dieser Clip ist bereits eine Endfassung.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="248"/>
        <source>The storyboard has no shots: add one first.</source>
        <translation>Das Storyboard hat keine Einstellungen: Fügen Sie zuerst eine hinzu.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="255"/>
        <source>Every shot of the storyboard is made: re-roll a shot to make it again.</source>
        <translation>Jede Einstellung des Storyboards ist erzeugt: Würfeln Sie eine Einstellung neu, um sie noch einmal zu erzeugen.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="284"/>
        <source>Shot %1 continues from shot %2, which has no clip.</source>
        <translation>Einstellung %1 setzt Einstellung %2 fort, die noch keinen Clip hat.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="292"/>
        <source>Shot %1: %2</source>
        <translation>Einstellung %1: %2</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="303"/>
        <source>The storyboard is made.</source>
        <translation>Das Storyboard ist erzeugt.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="314"/>
        <source>This shot has no clip yet: Generate all makes it.</source>
        <translation>Diese Einstellung hat noch keinen Clip: „Alle erzeugen“ erzeugt ihn.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="317"/>
        <source>That shot is not on the storyboard.</source>
        <translation>Diese Einstellung ist nicht im Storyboard.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="349"/>
        <source>Select a clip to extend.</source>
        <translation>Wählen Sie einen Clip zum Verlängern aus.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="368"/>
        <source>Select the clip to bridge from.</source>
        <translation>Wählen Sie den Clip aus, von dem aus überbrückt werden soll.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="370"/>
        <source>There is no next clip to bridge to: the selected clip is the last one.</source>
        <translation>Es gibt keinen nächsten Clip zum Überbrücken: Der ausgewählte Clip ist der letzte.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="388"/>
        <source>There is no join there: pick a clip that has a clip after it.</source>
        <translation>Dort ist kein Übergang: einen Clip wählen, auf den ein Clip folgt.</translation>
    </message>
    <message>
        <source>Both clips at the join need more than %1 frames to smooth it.</source>
        <translation type="vanished">Beide Clips am Übergang brauchen mehr als %1 Bilder, um ihn zu glätten.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="409"/>
        <source>The clips at this join are too short to smooth it: the first needs at least %1 frames and the second %2.</source>
        <translation>Die Clips an diesem Übergang sind zu kurz, um ihn zu glätten: Der erste braucht mindestens %1 Bilder, der zweite %2.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="432"/>
        <source>Select a clip whose frames to regenerate.</source>
        <translation>Wählen Sie den Clip aus, dessen Bilder neu erzeugt werden sollen.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="434"/>
        <source>Set an In and an Out mark inside the clip first (frames %1 to %2).</source>
        <translation>Setzen Sie zuerst eine In- und eine Out-Marke innerhalb des Clips (Bilder %1 bis %2).</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="452"/>
        <source>%1 does not exist or is not a file.</source>
        <translation>%1 existiert nicht oder ist keine Datei.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="461"/>
        <source>Choose a file to export to.</source>
        <translation>Wählen Sie eine Datei für den Export.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="467"/>
        <source>The timeline is empty: there is nothing to export.</source>
        <translation>Die Zeitleiste ist leer: Es gibt nichts zu exportieren.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="468"/>
        <source>The clip to export no longer exists.</source>
        <translation>Der zu exportierende Clip existiert nicht mehr.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="470"/>
        <source>Quality (CRF) must be between 0 and 51.</source>
        <translation>Die Qualität (CRF) muss zwischen 0 und 51 liegen.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="500"/>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="515"/>
        <location filename="../app/studio.cpp" line="604"/>
        <source>Job failed</source>
        <translation>Auftrag fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="515"/>
        <source>Cannot store the new take in %1.</source>
        <translation>Der neue Take kann nicht in %1 gespeichert werden.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="552"/>
        <source>Smooth join</source>
        <translation>Übergang glätten</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="568"/>
        <source>The clip was deleted meanwhile; the new take was added as a clip.</source>
        <translation>Der Clip wurde inzwischen gelöscht; der neue Take wurde als Clip hinzugefügt.</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="603"/>
        <source>A job</source>
        <translation>Ein Auftrag</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="604"/>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="633"/>
        <source>Missing media</source>
        <translation>Fehlende Medien</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio.cpp" line="634"/>
        <source>%n take(s) of this project are missing from %1: %2</source>
        <translation>
            <numerusform>%n Take dieses Projekts fehlt in %1: %2</numerusform>
            <numerusform>%n Takes dieses Projekts fehlen in %1: %2</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="642"/>
        <source>the project has no file name yet</source>
        <translation>das Projekt hat noch keinen Dateinamen</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="679"/>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="688"/>
        <source>a save is already under way</source>
        <translation>es wird bereits gespeichert</translation>
    </message>
    <message>
        <location filename="../app/studio.cpp" line="825"/>
        <source>Autosave failed: %1</source>
        <translation>Automatisches Speichern fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>kinora::ui::ExportDialog</name>
    <message>
        <location filename="../ui/export_dialog.cpp" line="127"/>
        <location filename="../ui/export_dialog.cpp" line="221"/>
        <source>Export Video</source>
        <translation>Video exportieren</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="128"/>
        <location filename="../ui/export_dialog.cpp" line="143"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="129"/>
        <source>&amp;Whole timeline</source>
        <translation>&amp;Ganze Zeitleiste</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="130"/>
        <source>&amp;Selected clip</source>
        <translation>Ausgewählter &amp;Clip</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="131"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="132"/>
        <source>Where to save the MP4 file</source>
        <translation>Wohin die MP4-Datei gespeichert wird</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="133"/>
        <source>&amp;Browse…</source>
        <translation>D&amp;urchsuchen …</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="134"/>
        <source>&amp;Quality (CRF)</source>
        <translation>&amp;Qualität (CRF)</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="135"/>
        <source>lower is better and bigger; 18 looks lossless</source>
        <translation>kleiner ist besser und größer; 18 wirkt verlustfrei</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="136"/>
        <source>Frame si&amp;ze</source>
        <translation>Bild&amp;größe</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="137"/>
        <source>F&amp;rame rate</source>
        <translation>Bild&amp;rate</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="138"/>
        <source> fps</source>
        <translation> fps</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="139"/>
        <source>Visible &amp;AI label in the corner</source>
        <translation>Sichtbares &amp;KI-Kennzeichen in der Ecke</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="140"/>
        <source>Every MP4 says it was made by AI in its metadata (XMP); this also draws a small label into the picture.</source>
        <translation>Jede MP4-Datei nennt in ihren Metadaten (XMP) die KI als Urheber; dies zeichnet zusätzlich ein kleines Kennzeichen ins Bild.</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="141"/>
        <source>Also save a &amp;poster (PNG) of the frame at the playhead</source>
        <translation>Zusätzlich ein &amp;Standbild (PNG) des Bildes am Abspielkopf speichern</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="142"/>
        <source>Written beside the MP4 with the same name; it keeps the generation record and the AI label in its metadata.</source>
        <translation>Wird neben der MP4-Datei mit demselben Namen gespeichert; es behält das Generierungsprotokoll und das KI-Kennzeichen in seinen Metadaten.</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="221"/>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4-Video (*.mp4)</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="252"/>
        <source>Choose a file to export to.</source>
        <translation>Wählen Sie eine Datei für den Export.</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="254"/>
        <source>%1 is a folder; add a file name.</source>
        <translation>%1 ist ein Ordner; ergänzen Sie einen Dateinamen.</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="256"/>
        <source>The file name must end in .mp4.</source>
        <translation>Der Dateiname muss auf .mp4 enden.</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="258"/>
        <source>The folder %1 does not exist.</source>
        <translation>Der Ordner %1 existiert nicht.</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="260"/>
        <source>%1 is not a regular file (a device, a pipe or a socket): choose another name.</source>
        <translation>%1 ist keine gewöhnliche Datei (ein Gerät, eine Pipe oder ein Socket): Wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="263"/>
        <source>You cannot write to the folder %1.</source>
        <translation>In den Ordner %1 können Sie nicht schreiben.</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="265"/>
        <source>Width and height must be even numbers (H.264 needs it).</source>
        <translation>Breite und Höhe müssen gerade Zahlen sein (H.264 verlangt das).</translation>
    </message>
    <message>
        <location filename="../ui/export_dialog.cpp" line="269"/>
        <source>%1 exists and will be replaced.</source>
        <translation>%1 existiert bereits und wird ersetzt.</translation>
    </message>
</context>
<context>
    <name>kinora::ui::JobPanel</name>
    <message>
        <location filename="../ui/job_panel.cpp" line="24"/>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="24"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="24"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="24"/>
        <source>Time left</source>
        <translation>Restzeit</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="28"/>
        <source>Job queue</source>
        <translation>Auftragswarteschlange</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="30"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="31"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="32"/>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="33"/>
        <source>Up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="34"/>
        <source>Down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="35"/>
        <source>Clear done</source>
        <translation>Erledigte entfernen</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="36"/>
        <source>Run the selected queued job earlier</source>
        <translation>Den ausgewählten wartenden Auftrag früher ausführen</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="37"/>
        <source>Run the selected queued job later</source>
        <translation>Den ausgewählten wartenden Auftrag später ausführen</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="71"/>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="71"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="95"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="110"/>
        <source>about %1</source>
        <translation>etwa %1</translation>
    </message>
    <message>
        <location filename="../ui/job_panel.cpp" line="121"/>
        <source>Total time left: about %1</source>
        <translation>Insgesamt verbleibend: etwa %1</translation>
    </message>
</context>
<context>
    <name>kinora::ui::JoinInspector</name>
    <message>
        <location filename="../ui/join_inspector.cpp" line="33"/>
        <source>Join %1</source>
        <translation>Übergang %1</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="38"/>
        <location filename="../ui/join_inspector.cpp" line="56"/>
        <source>Frame</source>
        <translation>Bild</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="42"/>
        <location filename="../ui/join_inspector.cpp" line="57"/>
        <source>Change from the frame before</source>
        <translation>Änderung zum vorigen Bild</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="43"/>
        <source>Loading the frames...</source>
        <translation>Die Bilder werden geladen …</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="46"/>
        <location filename="../ui/join_inspector.cpp" line="190"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="47"/>
        <source>Previous</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="48"/>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="49"/>
        <source>&amp;Smooth this join</source>
        <translation>Diesen Übergang &amp;glätten</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="50"/>
        <source>Make the last %1 frames of the first clip and the first %1 of the second again, as one bridge between them (a new clip; the timeline keeps its length; undoable)</source>
        <translation>Die letzten %1 Bilder des ersten Clips und die ersten %1 des zweiten neu erzeugen, als eine Brücke zwischen ihnen (ein neuer Clip; die Zeitleiste behält ihre Länge; rückgängig zu machen)</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="53"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="105"/>
        <source>There is no join here any more.</source>
        <translation>Hier ist kein Übergang mehr.</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="126"/>
        <source>The frames at this join cannot be read.</source>
        <translation>Die Bilder an diesem Übergang lassen sich nicht lesen.</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="173"/>
        <source>Frame %1 of %2: end of clip %3</source>
        <translation>Bild %1 von %2: Ende von Clip %3</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="177"/>
        <source>Frame %1 of %2: start of clip %3%4</source>
        <translation>Bild %1 von %2: Anfang von Clip %3%4</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="181"/>
        <source> (just after the join)</source>
        <translation> (direkt nach dem Übergang)</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="190"/>
        <source>Play</source>
        <translation>Abspielen</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="197"/>
        <source>Measuring the join...</source>
        <translation>Der Übergang wird gemessen …</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="200"/>
        <source>it does not show</source>
        <translation>er fällt nicht auf</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="200"/>
        <source>it may show</source>
        <translation>er kann auffallen</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="200"/>
        <source>it shows</source>
        <translation>er fällt auf</translation>
    </message>
    <message>
        <location filename="../ui/join_inspector.cpp" line="201"/>
        <source>Across the join the picture changes %1 times as much as inside the clips: %2 (about 1 does not show; above 3 looks like a cut).</source>
        <translation>Über den Übergang ändert sich das Bild %1-mal so stark wie innerhalb der Clips: %2 (etwa 1 fällt nicht auf; über 3 wirkt wie ein Schnitt).</translation>
    </message>
</context>
<context>
    <name>kinora::ui::LineageView</name>
    <message>
        <location filename="../ui/lineage_view.cpp" line="35"/>
        <source>Lineage of the take</source>
        <translation>Herkunft des Takes</translation>
    </message>
    <message>
        <location filename="../ui/lineage_view.cpp" line="36"/>
        <source>Where this take came from and what was made from it. Click a take, or move with the arrow keys and press Enter, to show it.</source>
        <translation>Woraus dieser Take entstand und was aus ihm gemacht wurde. Einen Take anklicken oder mit den Pfeiltasten hingehen und Eingabe drücken, um ihn zu zeigen.</translation>
    </message>
    <message>
        <location filename="../ui/lineage_view.cpp" line="98"/>
        <source>Select a clip on the timeline to see where its take came from.</source>
        <translation>Einen Clip in der Zeitleiste wählen, um zu sehen, woher sein Take stammt.</translation>
    </message>
</context>
<context>
    <name>kinora::ui::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="58"/>
        <location filename="../ui/main_window_actions.cpp" line="253"/>
        <source>Loading the model pack...</source>
        <translation>Modellpaket wird geladen …</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="92"/>
        <source>Playback failed</source>
        <translation>Wiedergabe fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="132"/>
        <source>&amp;New Project</source>
        <translation>&amp;Neues Projekt</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="133"/>
        <source>&amp;Open...</source>
        <translation>Ö&amp;ffnen …</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="134"/>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="135"/>
        <source>Save &amp;As...</source>
        <translation>Speichern &amp;unter …</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="135"/>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="136"/>
        <source>&amp;Import Video...</source>
        <translation>Video &amp;importieren …</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="136"/>
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="137"/>
        <source>&amp;Export MP4...</source>
        <translation>MP4 &amp;exportieren …</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="137"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="138"/>
        <source>Se&amp;ttings...</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="139"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="140"/>
        <source>&amp;Re-roll (New Take)</source>
        <translation>Neu &amp;würfeln (neuer Take)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="140"/>
        <source>R</source>
        <translation>R</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="141"/>
        <source>Ctrl+Shift+D</source>
        <translation>Ctrl+Shift+D</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="141"/>
        <source>Dr&amp;aft Mode</source>
        <translation>&amp;Entwurfsmodus</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="143"/>
        <source>Draft mode: new clips take a quarter of the steps</source>
        <translation>Entwurfsmodus: neue Clips brauchen ein Viertel der Schritte</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="143"/>
        <source>Draft mode off</source>
        <translation>Entwurfsmodus aus</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="148"/>
        <source>&amp;Promote to Final</source>
        <translation>End&amp;fassung erstellen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="148"/>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="149"/>
        <source>Extend &amp;Forwards</source>
        <translation>Nach &amp;vorne verlängern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="149"/>
        <source>Ctrl+]</source>
        <translation>Ctrl+]</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="150"/>
        <source>Extend &amp;Backwards</source>
        <translation>Nach &amp;hinten verlängern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="150"/>
        <source>Ctrl+[</source>
        <translation>Ctrl+[</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="152"/>
        <source>Bridge to &amp;Next Clip</source>
        <translation>Zum &amp;nächsten Clip überbrücken</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="152"/>
        <source>Ctrl+B</source>
        <translation>Ctrl+B</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="153"/>
        <source>&amp;Inspect Join...</source>
        <translation>Übergang &amp;untersuchen …</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="153"/>
        <source>Ctrl+J</source>
        <translation>Ctrl+J</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="159"/>
        <source>Regenerate Frames Between &amp;Marks</source>
        <translation>Bilder zwischen den &amp;Marken neu erzeugen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="159"/>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="161"/>
        <source>&amp;Split at Playhead</source>
        <translation>An der Abspielposition &amp;teilen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="161"/>
        <source>S</source>
        <translation>S</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="163"/>
        <source>Nothing to split: put the playhead inside a clip, not on its first frame.</source>
        <translation>Nichts zu teilen: Setzen Sie die Abspielposition in einen Clip, nicht auf sein erstes Bild.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="165"/>
        <source>Ripple &amp;Delete</source>
        <translation>Löschen und Lücke &amp;schließen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="167"/>
        <source>Select a clip to delete.</source>
        <translation>Wählen Sie einen Clip zum Löschen aus.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="169"/>
        <source>Zoom &amp;In</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="169"/>
        <source>=</source>
        <translation>=</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="170"/>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="170"/>
        <source>-</source>
        <translation>-</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="171"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="171"/>
        <source>Ctrl+/</source>
        <translation>Ctrl+/</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="172"/>
        <source>&amp;About Kinora</source>
        <translation>Ü&amp;ber Kinora</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="173"/>
        <source>About Kinora</source>
        <translation>Über Kinora</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="174"/>
        <source>Kinora %1: a text-to-video studio that runs on your own machine.</source>
        <translation>Kinora %1: ein Text-zu-Video-Studio, das auf Ihrem eigenen Rechner läuft.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="177"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="180"/>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="182"/>
        <source>Ctrl+Shift+Z</source>
        <translation>Ctrl+Shift+Z</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="182"/>
        <source>Ctrl+Y</source>
        <translation>Ctrl+Y</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="198"/>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="200"/>
        <source>Storyboard</source>
        <translation>Storyboard</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="210"/>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="213"/>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="215"/>
        <source>Takes</source>
        <translation>Takes</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="217"/>
        <source>&lt;empty project&gt;</source>
        <translation>&lt;leeres Projekt&gt;</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="218"/>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="227"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="230"/>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="240"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="243"/>
        <source>&amp;History</source>
        <translation>&amp;Verlauf</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="253"/>
        <source>&amp;Clip</source>
        <translation>&amp;Clip</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="259"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="263"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="286"/>
        <source>%1[*] - Kinora</source>
        <translation>%1[*] – Kinora</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="330"/>
        <source>Model: %1 (%2, %3 px, %4 fps)</source>
        <translation>Modell: %1 (%2, %3 px, %4 fps)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="344"/>
        <source>No model pack</source>
        <translation>Kein Modellpaket</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="345"/>
        <source>The model pack could not be loaded: %1. Generating is off; editing, import and export still work. Set KINORA_MODEL or choose a pack in Settings (looked in: %2).</source>
        <translation>Das Modellpaket konnte nicht geladen werden: %1. Das Erzeugen ist abgeschaltet; Bearbeiten, Import und Export funktionieren weiterhin. Setzen Sie KINORA_MODEL oder wählen Sie ein Paket in den Einstellungen (gesucht in: %2).</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="363"/>
        <source>about %1 (draft)</source>
        <translation>etwa %1 (Entwurf)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="363"/>
        <source>about %1</source>
        <translation>etwa %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="382"/>
        <source>Queued: %1 (seed %2)</source>
        <translation>Eingereiht: %1 (Seed %2)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="390"/>
        <source>Re-rolling with seed %1</source>
        <translation>Neu würfeln mit Seed %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="399"/>
        <source>Promoting the clip to final quality</source>
        <translation>Der Clip wird in voller Qualität erstellt</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/main_window.cpp" line="403"/>
        <source>Promoting %n draft(s) to final quality</source>
        <translation>
            <numerusform>%n Entwurf wird in voller Qualität erstellt</numerusform>
            <numerusform>%n Entwürfe werden in voller Qualität erstellt</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="404"/>
        <source>There are no drafts on the timeline.</source>
        <translation>Auf der Zeitleiste gibt es keine Entwürfe.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="419"/>
        <location filename="../ui/main_window.cpp" line="424"/>
        <source>Regenerate frames</source>
        <translation>Bilder neu erzeugen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="419"/>
        <source>Put the playhead on a clip and set In and Out marks (I and O).</source>
        <translation>Setzen Sie die Abspielposition auf einen Clip und setzen Sie In- und Out-Marke (I und O).</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="424"/>
        <source>Set an In mark (I) and an Out mark (O) in the player first.</source>
        <translation>Setzen Sie zuerst im Player eine In-Marke (I) und eine Out-Marke (O).</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="518"/>
        <source>Cannot show the clip</source>
        <translation>Der Clip kann nicht angezeigt werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="519"/>
        <source>The take&apos;s media file %1 is missing or damaged.</source>
        <translation>Die Mediendatei %1 des Takes fehlt oder ist beschädigt.</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="46"/>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="46"/>
        <source>Save the changes to %1?</source>
        <translation>Die Änderungen an %1 speichern?</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="65"/>
        <source>Open Project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="66"/>
        <location filename="../ui/main_window_actions.cpp" line="98"/>
        <source>Kinora projects (*.kinora)</source>
        <translation>Kinora-Projekte (*.kinora)</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="75"/>
        <source>Cannot open the project</source>
        <translation>Das Projekt kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="76"/>
        <source>%1 could not be opened: %2</source>
        <translation>%1 konnte nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="84"/>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="97"/>
        <source>Save Project</source>
        <translation>Projekt speichern</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="107"/>
        <source>Saving %1...</source>
        <translation>%1 wird gespeichert …</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="107"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="120"/>
        <source>Save cancelled; nothing was changed</source>
        <translation>Speichern abgebrochen; nichts wurde geändert</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="124"/>
        <source>Cannot save the project</source>
        <translation>Das Projekt kann nicht gespeichert werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="125"/>
        <source>Saving to %1 failed; the last saved version is untouched. %2</source>
        <translation>Speichern nach %1 fehlgeschlagen; die zuletzt gespeicherte Fassung ist unverändert. %2</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="134"/>
        <source>Import Video</source>
        <translation>Video importieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="135"/>
        <source>Videos (*.mp4 *.mov *.mkv *.webm *.avi);;All files (*)</source>
        <translation>Videos (*.mp4 *.mov *.mkv *.webm *.avi);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="144"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="144"/>
        <source>The timeline is empty: there is nothing to export.</source>
        <translation>Die Zeitleiste ist leer: Es gibt nichts zu exportieren.</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="173"/>
        <source>Export finished</source>
        <translation>Export abgeschlossen</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="173"/>
        <source>Wrote %1.</source>
        <translation>%1 geschrieben.</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="176"/>
        <source>Show in Folder</source>
        <translation>Im Ordner zeigen</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="177"/>
        <source>Play</source>
        <translation>Abspielen</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="197"/>
        <source>Restore unsaved work?</source>
        <translation>Ungespeicherte Arbeit wiederherstellen?</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="198"/>
        <source>Kinora did not shut down cleanly last time. Restore the work it saved automatically (clips, takes and queued jobs)?</source>
        <translation>Kinora wurde beim letzten Mal nicht sauber beendet. Die automatisch gesicherte Arbeit (Clips, Takes und wartende Aufträge) wiederherstellen?</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="202"/>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="204"/>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="213"/>
        <source>Cannot restore</source>
        <translation>Wiederherstellen nicht möglich</translation>
    </message>
    <message>
        <location filename="../ui/main_window_actions.cpp" line="221"/>
        <source>Restored the autosaved work.</source>
        <translation>Die automatisch gesicherte Arbeit wurde wiederhergestellt.</translation>
    </message>
</context>
<context>
    <name>kinora::ui::PreviewPlayer</name>
    <message>
        <location filename="../ui/preview_player.cpp" line="143"/>
        <source>No clip. Generate one, or pick a take on the timeline.</source>
        <translation>Kein Clip. Erzeugen Sie einen oder wählen Sie einen Take in der Zeitleiste.</translation>
    </message>
    <message>
        <location filename="../ui/preview_player.cpp" line="144"/>
        <source>Play or pause (Space)</source>
        <translation>Abspielen oder anhalten (Leertaste)</translation>
    </message>
    <message>
        <location filename="../ui/preview_player.cpp" line="145"/>
        <source>Previous frame (Left)</source>
        <translation>Vorheriges Bild (Links)</translation>
    </message>
    <message>
        <location filename="../ui/preview_player.cpp" line="146"/>
        <source>Next frame (Right)</source>
        <translation>Nächstes Bild (Rechts)</translation>
    </message>
    <message>
        <location filename="../ui/preview_player.cpp" line="147"/>
        <source>Loop (between the marks when both are set)</source>
        <translation>Schleife (zwischen den Marken, wenn beide gesetzt sind)</translation>
    </message>
    <message>
        <location filename="../ui/preview_player.cpp" line="148"/>
        <source>Drag to scrub; I and O set the marks</source>
        <translation>Ziehen zum Durchsuchen; I und O setzen die Marken</translation>
    </message>
    <message>
        <location filename="../ui/preview_player.cpp" line="501"/>
        <source>Cannot play %1: %2</source>
        <translation>%1 kann nicht abgespielt werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/preview_player.cpp" line="522"/>
        <source>Preview of the running job</source>
        <translation>Vorschau des laufenden Auftrags</translation>
    </message>
    <message>
        <location filename="../ui/preview_player.cpp" line="524"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../ui/preview_player.cpp" line="530"/>
        <source>In %1  Out %2</source>
        <translation>In %1  Out %2</translation>
    </message>
</context>
<context>
    <name>kinora::ui::PromptEditor</name>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="250"/>
        <source>&amp;Prompt</source>
        <translation>&amp;Prompt</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="251"/>
        <source>Describe the clip, e.g. “a red ball bouncing on a starry night”</source>
        <translation>Beschreiben Sie den Clip (auf Englisch), z. B. „a red ball bouncing on a starry night“</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="252"/>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="253"/>
        <source>Prompts you generated before</source>
        <translation>Prompts, mit denen Sie schon erzeugt haben</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="254"/>
        <source>&amp;Negative prompt</source>
        <translation>&amp;Negativ-Prompt</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="255"/>
        <source>What the clip should not look like (optional)</source>
        <translation>Wie der Clip nicht aussehen soll (optional)</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="256"/>
        <source>S&amp;eed</source>
        <translation>S&amp;eed</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="257"/>
        <source>The same prompt, seed and settings always give the same clip</source>
        <translation>Derselbe Prompt, Seed und dieselben Einstellungen ergeben immer denselben Clip</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="258"/>
        <source>Fixed</source>
        <translation>Fest</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="259"/>
        <source>Random</source>
        <translation>Zufällig</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="260"/>
        <source>Increment</source>
        <translation>Hochzählen</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="261"/>
        <source>What happens to the seed after each generation</source>
        <translation>Was nach jeder Erzeugung mit dem Seed geschieht</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="262"/>
        <source>Draw a new random seed</source>
        <translation>Neuen zufälligen Seed ziehen</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="263"/>
        <source>Use</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="264"/>
        <source>Copy the last used seed into the seed box</source>
        <translation>Den zuletzt verwendeten Seed ins Seed-Feld übernehmen</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="265"/>
        <source>&amp;Duration</source>
        <translation>&amp;Dauer</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="266"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="267"/>
        <source>S&amp;teps</source>
        <translation>Sc&amp;hritte</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="268"/>
        <source>More denoising steps: slower, often cleaner</source>
        <translation>Mehr Entrauschungsschritte: langsamer, oft sauberer</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="269"/>
        <source>&amp;Guidance</source>
        <translation>&amp;Guidance</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="270"/>
        <source>How closely to follow the prompt (classifier-free guidance)</source>
        <translation>Wie genau der Prompt befolgt wird (Classifier-free Guidance)</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="271"/>
        <source>&amp;Model</source>
        <translation>&amp;Modell</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="272"/>
        <source>Generate</source>
        <translation>Erzeugen</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="274"/>
        <source>Queue a generation (%1)</source>
        <translation>Eine Erzeugung einreihen (%1)</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="276"/>
        <location filename="../ui/prompt_editor.cpp" line="585"/>
        <source>A sketch of the scene the model will be asked for</source>
        <translation>Eine Skizze der Szene, die das Modell erzeugen soll</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="278"/>
        <location filename="../ui/prompt_editor.cpp" line="363"/>
        <source>Last used: %1</source>
        <translation>Zuletzt verwendet: %1</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="280"/>
        <source>Last used: none yet</source>
        <translation>Zuletzt verwendet: noch keiner</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="504"/>
        <source>second %1</source>
        <translation>zweites Objekt: %1</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="506"/>
        <source>colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="508"/>
        <source>shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="510"/>
        <source>motion</source>
        <translation>Bewegung</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="512"/>
        <source>direction</source>
        <translation>Richtung</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="514"/>
        <source>placement</source>
        <translation>Platzierung</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="516"/>
        <source>background</source>
        <translation>Hintergrund</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="548"/>
        <source>“%1” as “%2”</source>
        <translation>„%1“ als „%2“</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="550"/>
        <source>Read %1.</source>
        <translation>Gelesen: %1.</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="552"/>
        <source>Not understood: %1.</source>
        <translation>Nicht verstanden: %1.</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="557"/>
        <source>Picked by the seed: %1.</source>
        <translation>Vom Seed gewählt: %1.</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="570"/>
        <source>The model will see: —</source>
        <translation>Das Modell sieht: —</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="572"/>
        <source>The model will see: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Das Modell sieht: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="576"/>
        <source>Kinora will not generate this prompt. %1</source>
        <translation>Diesen Prompt erzeugt Kinora nicht. %1</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="581"/>
        <source>Sketch</source>
        <translation>Skizze</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="581"/>
        <source>Refused</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="586"/>
        <source>Sketch of: %1</source>
        <translation>Skizze von: %1</translation>
    </message>
    <message>
        <location filename="../ui/prompt_editor.cpp" line="658"/>
        <source>Clear History</source>
        <translation>Verlauf löschen</translation>
    </message>
</context>
<context>
    <name>kinora::ui::SettingsDialog</name>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="97"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="98"/>
        <source>&amp;Device</source>
        <translation>&amp;Gerät</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="99"/>
        <source>Automatic (CUDA when available, else CPU)</source>
        <translation>Automatisch (CUDA, wenn verfügbar, sonst CPU)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="100"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="102"/>
        <source>CUDA (NVIDIA GPU)</source>
        <translation>CUDA (NVIDIA-GPU)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="102"/>
        <source>CUDA (not available in this build)</source>
        <translation>CUDA (in diesem Build nicht verfügbar)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="103"/>
        <source>&amp;Threads</source>
        <translation>&amp;Threads</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="104"/>
        <source>Every core (%1)</source>
        <translation>Alle Kerne (%1)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="105"/>
        <source>CPU threads for generation; the change applies to the next job</source>
        <translation>CPU-Threads für das Erzeugen; die Änderung gilt ab dem nächsten Auftrag</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="106"/>
        <source>Default &amp;steps</source>
        <translation>Standard-&amp;Schritte</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="107"/>
        <location filename="../ui/settings_dialog.cpp" line="109"/>
        <source>Model default</source>
        <translation>Vorgabe des Modells</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="108"/>
        <source>Default &amp;guidance</source>
        <translation>Standard-&amp;Guidance</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="110"/>
        <source>&amp;Projects folder</source>
        <translation>&amp;Projektordner</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="111"/>
        <source>&amp;Browse…</source>
        <translation>D&amp;urchsuchen …</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="152"/>
        <source>Projects Folder</source>
        <translation>Projektordner</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="162"/>
        <source>Choose a folder for your projects.</source>
        <translation>Wählen Sie einen Ordner für Ihre Projekte.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="164"/>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 ist eine Datei, kein Ordner.</translation>
    </message>
</context>
<context>
    <name>kinora::ui::ShortcutsDialog</name>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="40"/>
        <source>Generate</source>
        <translation>Erzeugen</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="41"/>
        <source>Player</source>
        <translation>Player</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="42"/>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="43"/>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="44"/>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="47"/>
        <source>Queue a generation of the prompt</source>
        <translation>Eine Erzeugung des Prompts einreihen</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="48"/>
        <source>Re-roll the selected clip (a new take, new seed)</source>
        <translation>Den ausgewählten Clip neu würfeln (neuer Take, neuer Seed)</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="49"/>
        <source>Extend the selected clip forwards</source>
        <translation>Den ausgewählten Clip nach vorn verlängern</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="50"/>
        <source>Extend the selected clip backwards</source>
        <translation>Den ausgewählten Clip nach hinten verlängern</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="51"/>
        <source>Bridge the selected clip to the next one</source>
        <translation>Den ausgewählten Clip mit dem nächsten überbrücken</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="52"/>
        <source>Regenerate the frames between the marks</source>
        <translation>Die Bilder zwischen den Marken neu erzeugen</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="53"/>
        <source>Play or pause</source>
        <translation>Abspielen oder anhalten</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="54"/>
        <source>Previous or next frame</source>
        <translation>Vorheriges oder nächstes Bild</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="55"/>
        <source>Play backwards; press again to go faster</source>
        <translation>Rückwärts abspielen; erneut drücken für schneller</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="56"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="57"/>
        <source>Play forwards; press again to go faster</source>
        <translation>Vorwärts abspielen; erneut drücken für schneller</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="58"/>
        <source>Set the in mark</source>
        <translation>In-Marke setzen</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="59"/>
        <source>Set the out mark</source>
        <translation>Out-Marke setzen</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="60"/>
        <source>Split the clip at the playhead</source>
        <translation>Den Clip an der Abspielposition teilen</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="61"/>
        <source>Draft mode on or off (a quarter of the steps)</source>
        <translation>Entwurfsmodus ein oder aus (ein Viertel der Schritte)</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="62"/>
        <source>Promote the selected draft, or every draft, to final quality</source>
        <translation>Den gewählten Entwurf oder alle Entwürfe in voller Qualität erstellen</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="64"/>
        <source>Ripple delete the selected clip</source>
        <translation>Den ausgewählten Clip löschen und die Lücke schließen</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="65"/>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="66"/>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="67"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="68"/>
        <source>Redo</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="69"/>
        <source>New project</source>
        <translation>Neues Projekt</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="70"/>
        <source>Open a project</source>
        <translation>Ein Projekt öffnen</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="71"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="72"/>
        <source>Save as</source>
        <translation>Speichern unter</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="73"/>
        <source>Import a video file as a clip</source>
        <translation>Eine Videodatei als Clip importieren</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="74"/>
        <source>Export a video</source>
        <translation>Ein Video exportieren</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="75"/>
        <source>Show this list of shortcuts</source>
        <translation>Diese Liste der Tastenkürzel zeigen</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="81"/>
        <source>Keyboard Shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="82"/>
        <source>Player keys work while the player has the focus; click the picture first.</source>
        <translation>Die Player-Tasten wirken, solange der Player den Fokus hat; klicken Sie zuerst auf das Bild.</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="83"/>
        <source>Where</source>
        <translation>Wo</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="83"/>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="83"/>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <location filename="../ui/shortcuts_dialog.cpp" line="93"/>
        <source> or </source>
        <translation> oder </translation>
    </message>
</context>
<context>
    <name>kinora::ui::StoryboardPanel</name>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="21"/>
        <source>Shots</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="22"/>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="22"/>
        <location filename="../ui/storyboard_panel.cpp" line="115"/>
        <source>Seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="22"/>
        <location filename="../ui/storyboard_panel.cpp" line="136"/>
        <source>Join</source>
        <translation>Übergang</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="22"/>
        <source>Clip</source>
        <translation>Clip</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="30"/>
        <source>&amp;Add shot</source>
        <translation>Einstellung &amp;hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="31"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="32"/>
        <source>Up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="33"/>
        <source>Down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="34"/>
        <source>&amp;Generate all</source>
        <translation>Alle &amp;erzeugen</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="36"/>
        <source>Make every shot that has no clip yet, in order: a cut from its prompt, a continuing shot as an extension of the shot before it. Each lands on the timeline as its own clip as soon as it is made.</source>
        <translation>Jede Einstellung ohne Clip der Reihe nach erzeugen: einen Schnitt aus seinem Prompt, eine fortgesetzte Einstellung als Verlängerung der Einstellung davor. Jede landet als eigener Clip auf der Zeitleiste, sobald sie fertig ist.</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="39"/>
        <source>&amp;Re-roll shot</source>
        <translation>Einstellung neu &amp;würfeln</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="40"/>
        <source>Make the selected shot again with a new seed; the join into a shot that continues from it is smoothed, and the other shots stay as they are</source>
        <translation>Die gewählte Einstellung mit einem neuen Seed noch einmal erzeugen; der Übergang in eine Einstellung, die sie fortsetzt, wird geglättet, und die anderen Einstellungen bleiben, wie sie sind</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="106"/>
        <source>Shot %1: double-click to edit its prompt</source>
        <translation>Einstellung %1: Doppelklick bearbeitet ihren Prompt</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="114"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="125"/>
        <source>Shot length</source>
        <translation>Länge der Einstellung</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="134"/>
        <source>Cut</source>
        <translation>Schnitt</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="135"/>
        <source>Continue</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="137"/>
        <source>Continue: the shot flows on from the one before it (the same objects unless its prompt changes them). Cut: a new scene.</source>
        <translation>Fortsetzen: Die Einstellung geht aus der vorigen hervor (dieselben Objekte, sofern ihr Prompt sie nicht ändert). Schnitt: eine neue Szene.</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="147"/>
        <source>Shot join</source>
        <translation>Übergang der Einstellung</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/storyboard_panel.cpp" line="161"/>
        <source>%n shot(s), %1 s</source>
        <translation>
            <numerusform>%n Einstellung, %1 s</numerusform>
            <numerusform>%n Einstellungen, %1 s</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="175"/>
        <source>not made</source>
        <translation>nicht erzeugt</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="176"/>
        <source>Generate all makes it</source>
        <translation>„Alle erzeugen“ erzeugt sie</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="180"/>
        <source>making…</source>
        <translation>wird erzeugt …</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="180"/>
        <source>queued</source>
        <translation>wartet</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="181"/>
        <source>Being made again</source>
        <translation>Wird neu erzeugt</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="181"/>
        <source>Being made</source>
        <translation>Wird erzeugt</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="186"/>
        <source>clip %1</source>
        <translation>Clip %1</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="187"/>
        <source>On the timeline, %1 frames (double-click to show it)</source>
        <translation>Auf der Zeitleiste, %1 Bilder (Doppelklick zeigt ihn)</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="225"/>
        <source>Shot prompt</source>
        <translation>Prompt der Einstellung</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="245"/>
        <source>Add shot</source>
        <translation>Einstellung hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="258"/>
        <source>Remove shot</source>
        <translation>Einstellung entfernen</translation>
    </message>
    <message>
        <location filename="../ui/storyboard_panel.cpp" line="269"/>
        <source>Move shot</source>
        <translation>Einstellung verschieben</translation>
    </message>
</context>
<context>
    <name>kinora::ui::TakesPanel</name>
    <message>
        <location filename="../ui/takes_panel.cpp" line="26"/>
        <source>Takes</source>
        <translation>Takes</translation>
    </message>
    <message>
        <location filename="../ui/takes_panel.cpp" line="30"/>
        <source>Re-roll (new take)</source>
        <translation>Neu würfeln (neuer Take)</translation>
    </message>
    <message>
        <location filename="../ui/takes_panel.cpp" line="31"/>
        <source>Copy record</source>
        <translation>Protokoll kopieren</translation>
    </message>
    <message>
        <location filename="../ui/takes_panel.cpp" line="33"/>
        <source>Copy this take&apos;s generation record (JSON): saved as a file in the project&apos;s media folder, kinora-cli redo --from FILE makes the take again</source>
        <translation>Kopiert das Generierungsprotokoll dieses Takes (JSON): als Datei im Medienordner des Projekts gespeichert, erzeugt kinora-cli redo --from DATEI den Take erneut</translation>
    </message>
    <message>
        <location filename="../ui/takes_panel.cpp" line="41"/>
        <source>&amp;List</source>
        <translation>&amp;Liste</translation>
    </message>
    <message>
        <location filename="../ui/takes_panel.cpp" line="42"/>
        <source>Li&amp;neage</source>
        <translation>Her&amp;kunft</translation>
    </message>
    <message>
        <location filename="../ui/takes_panel.cpp" line="43"/>
        <source>The take&apos;s history as a graph: what it was extended, bridged, filled or re-rolled from, and what was made from it</source>
        <translation>Die Geschichte des Takes als Graph: woraus er verlängert, überbrückt, gefüllt oder neu gewürfelt wurde und was aus ihm entstand</translation>
    </message>
    <message>
        <location filename="../ui/takes_panel.cpp" line="97"/>
        <source>Select a clip on the timeline to see its takes.</source>
        <translation>Wählen Sie einen Clip in der Zeitleiste, um seine Takes zu sehen.</translation>
    </message>
    <message>
        <location filename="../ui/takes_panel.cpp" line="105"/>
        <source>Take %1 · %2 · seed %3 · %4 frames</source>
        <translation>Take %1 · %2 · Seed %3 · %4 Bilder</translation>
    </message>
    <message>
        <location filename="../ui/takes_panel.cpp" line="106"/>
        <location filename="../ui/takes_panel.cpp" line="137"/>
        <source> · draft</source>
        <translation> · Entwurf</translation>
    </message>
    <message>
        <location filename="../ui/takes_panel.cpp" line="116"/>
        <source>Prompt: %1
The model saw: %2</source>
        <translation>Prompt: %1
Das Modell sah: %2</translation>
    </message>
    <message>
        <location filename="../ui/takes_panel.cpp" line="132"/>
        <source>Clip %1 · Take %2
%3 · seed %4%5</source>
        <translation>Clip %1 · Take %2
%3 · Seed %4%5</translation>
    </message>
</context>
<context>
    <name>kinora::ui::Timeline</name>
    <message>
        <location filename="../ui/timeline.cpp" line="30"/>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <location filename="../ui/timeline.cpp" line="159"/>
        <source>%1s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../ui/timeline.cpp" line="168"/>
        <source>No clips yet: write a prompt and press Ctrl+Enter, or import a video (Ctrl+I).</source>
        <translation>Noch keine Clips: Schreiben Sie einen Prompt und drücken Sie Strg+Eingabe, oder importieren Sie ein Video (Strg+I).</translation>
    </message>
    <message>
        <location filename="../ui/timeline.cpp" line="190"/>
        <source>Take %1/%2 · %3</source>
        <translation>Take %1/%2 · %3</translation>
    </message>
    <message>
        <location filename="../ui/timeline.cpp" line="195"/>
        <source>DRAFT</source>
        <translation>ENTWURF</translation>
    </message>
    <message>
        <location filename="../ui/timeline.cpp" line="204"/>
        <source>Clip %1</source>
        <translation>Clip %1</translation>
    </message>
    <message>
        <location filename="../ui/timeline.cpp" line="380"/>
        <source>Join: the picture changes %1 times as much as inside the clips (about 1 does not show). Double-click to inspect it</source>
        <translation>Übergang: Das Bild ändert sich %1-mal so stark wie innerhalb der Clips (etwa 1 fällt nicht auf). Doppelklick zum Untersuchen</translation>
    </message>
    <message>
        <source>Join: the picture changes %1 times as much as inside the clips (about 1 does not show)</source>
        <translation type="vanished">Übergang: Das Bild ändert sich %1-mal so stark wie innerhalb der Clips (etwa 1 fällt nicht auf)</translation>
    </message>
</context>
<context>
    <name>kinora::ui::VocabularyChips</name>
    <message>
        <location filename="../ui/vocabulary_chips.cpp" line="116"/>
        <source>Colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <location filename="../ui/vocabulary_chips.cpp" line="125"/>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../ui/vocabulary_chips.cpp" line="132"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../ui/vocabulary_chips.cpp" line="159"/>
        <source>Motion</source>
        <translation>Bewegung</translation>
    </message>
    <message>
        <location filename="../ui/vocabulary_chips.cpp" line="167"/>
        <source>Background</source>
        <translation>Hintergrund</translation>
    </message>
    <message>
        <location filename="../ui/vocabulary_chips.cpp" line="186"/>
        <source>Put “%1” into the prompt</source>
        <translation>„%1“ in den Prompt einsetzen</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="66"/>
        <source>Kinora: a text-to-video studio</source>
        <translation>Kinora: ein Text-zu-Video-Studio</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="69"/>
        <source>A .kinora project to open.</source>
        <translation>Ein zu öffnendes .kinora-Projekt.</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="71"/>
        <source>Measure event-loop stalls during generations; prints JSON.</source>
        <translation>Misst Hänger der Ereignisschleife während des Erzeugens; gibt JSON aus.</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="73"/>
        <source>Generations for --bench-ui (default 3).</source>
        <translation>Anzahl der Erzeugungen für --bench-ui (Standard 3).</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="77"/>
        <source>--bench-ui measures Save As of a project of this many 10-s takes while a prompt is typed.</source>
        <translation>--bench-ui misst „Speichern unter“ eines Projekts mit so vielen 10-s-Takes, während ein Prompt getippt wird.</translation>
    </message>
</context>
</TS>
