import { CopyLine } from "./copy-button";

// What the seed (shared/seeds/cacert-software-patches.txt) tells the admin to do
// at each step, shown on the step's card.

export const APPLY_COMMAND =
  "cd /home/cacert/www && sudo patch -p1 --ignore-whitespace < /tmp/patch-script.diff";

export function StepGuide({ number, signingServer }: { number: number; signingServer: boolean }) {
  switch (number) {
    case 1:
      return (
        <p>Check that the patch request was signed by one of the approved software assessors.</p>
      );
    case 2:
      return (
        <p>
          Check the documentation of the request: the patch was reviewed and tested by the number of
          people the system&apos;s policy demands.
        </p>
      );
    case 3:
      return signingServer ? (
        <p>
          Bring the patch to the signing server (typically on a USB stick) and check its checksum
          there.
        </p>
      ) : (
        <p>
          Download the patch and copy it with <code>scp</code> to{" "}
          <code>/tmp/patch-script.diff</code> on the production server, then check its checksum
          there.
        </p>
      );
    case 4:
      return signingServer ? (
        <p>
          Evaluate the risk of applying the patch. If needed, stop the signing process with{" "}
          <code>service commmodule stop</code>.
        </p>
      ) : (
        <p>
          Evaluate the risk of applying the patch to the live system. In case of doubt, stop the web
          server with <code>sudo service apache2 stop</code>.
        </p>
      );
    case 5:
      return (
        <>
          <p>Apply the patch and check that it applies cleanly. Paste the whole output below.</p>
          <CopyLine text={APPLY_COMMAND} what="the patch command" testId="apply-command" />
          <p className="small muted">
            If it fails: back the patch out. The failure goes to the assessment team in full and the
            process stops here.
          </p>
        </>
      );
    case 6:
      return (
        <>
          <p>Commit the update to CVS; add any new files first.</p>
          <CopyLine
            text={
              'cd /home/cacert/www\nsudo cvs add "any new files added by the patch"\nsudo cvs commit "any directories containing patched files"'
            }
            what="the cvs commands"
          />
        </>
      );
    case 7:
      return (
        <>
          <p>Create a new source tarball of the current source code.</p>
          <CopyLine text={"cd /home/cacert/www/tmp\nsudo make"} what="the tarball commands" />
        </>
      );
    case 8:
      return (
        <>
          <p>Push any new message strings to the translation server.</p>
          <CopyLine text={"cd /home/cacert/www/locale\nmake upload"} what="the upload commands" />
        </>
      );
    case 9:
      return (
        <>
          <p>Pull new translations into the production server and enable them.</p>
          <CopyLine
            text={"cd /home/cacert/www/locale\nsudo service apache2 reload"}
            what="the reload commands"
          />
        </>
      );
    case 10:
      return (
        <p>
          A signed notification goes to the cacert-systemlog list with the summary, the new tarball
          and the commit message.
        </p>
      );
    case 11:
      return (
        <p>
          The bug is set to “Solved?” with the installation date and a pointer to the notification.
        </p>
      );
    case 12:
      return (
        <p>
          The assessment team gets a reply with the installation date and the notification attached.
        </p>
      );
    case 13:
      return <p>The new source tarball is mirrored to the test servers.</p>;
    default:
      return null;
  }
}
