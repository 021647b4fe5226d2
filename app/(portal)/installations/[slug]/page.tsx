import Link from "next/link";
import { notFound } from "next/navigation";
import { ZodError } from "zod";
import { pageActor } from "@/lib/auth/require-actor";
import { can } from "@/lib/domain/permissions";
import { BANNER_DAYS } from "@/lib/domain/certificate-expiry";
import { isAppError } from "@/lib/errors";
import { formatDateTime, formatFingerprint } from "@/lib/format";
import { getInstallation } from "@/lib/server/updates/installations";
import { listPackages } from "@/lib/server/updates/package-queries";
import { maxPackageBytes } from "@/lib/server/updates/receive-package";
import {
  removeCertificateAction,
  removePgpKeyAction,
  replaceCertificateAction,
  trustCertificateAction,
  trustPgpKeyAction,
  updateInstallationAction,
} from "@/lib/actions/updates";
import { ActionForm } from "@/app/_components/action-form";
import { ExpiryBanner } from "../_components/expiry-banner";
import { PackageUploadForm } from "../_components/package-upload-form";
import { CHANNEL_LABEL, MODE_HELP, MODE_LABEL, modeValue, StateChip } from "../_components/labels";
import styles from "../_components/updates.module.css";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return { title: (await params).slug };
}

async function load(actor: Awaited<ReturnType<typeof pageActor>>, slug: string) {
  try {
    return await Promise.all([getInstallation({ actor, slug }), listPackages({ actor, slug })]);
  } catch (e) {
    if ((isAppError(e) && e.code === "NOT_FOUND") || e instanceof ZodError) notFound();
    throw e;
  }
}

export default async function InstallationPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await pageActor("package:read");
  const { slug } = await params;
  const [inst, packages] = await load(actor, slug);
  const manages = can(actor.roles, "package:manage");
  const ending = inst.certificates.filter((c) => c.expiresInDays <= BANNER_DAYS);
  return (
    <>
      <div className="page-head">
        <p className="small muted">
          <Link href="/installations">Installations</Link> / {inst.slug}
        </p>
        <h1>{inst.name}</h1>
        <p>
          {inst.product}
          {inst.enterprise ? " Enterprise" : ""} · {MODE_LABEL[inst.mode] ?? inst.mode} updates ·{" "}
          <span className="mono">{inst.slug}</span>
        </p>
      </div>

      <ExpiryBanner certificates={ending} />

      <section className="panel" aria-labelledby="certs-head">
        <h2 id="certs-head">Trusted certificates</h2>
        <p className="small muted">
          A CMS package is verified when its signer&apos;s chain ends in one of these and every
          certificate in it is valid now: <code>openssl smime -verify -CAfile</code> with these
          certificates.
        </p>
        {inst.certificates.length === 0 ? (
          <p className="notice warn">
            No certificate is trusted: every CMS package is quarantined until one is added.
          </p>
        ) : (
          <ul className={styles.certs}>
            {inst.certificates.map((c) => (
              <li
                key={c.sha256}
                className={`${styles.cert} ${c.expiresInDays <= BANNER_DAYS ? styles.certSoon : ""}`}
                data-testid={`certificate-${c.sha256.slice(0, 12)}`}
              >
                <dl className={styles.kv}>
                  <dt>Subject</dt>
                  <dd>
                    <b>{c.subject}</b>
                  </dd>
                  <dt>Issuer</dt>
                  <dd>
                    {c.issuer}
                    {c.selfSigned && (
                      <>
                        {" "}
                        <span className="chip">self-signed</span>
                      </>
                    )}
                  </dd>
                  <dt>SHA-256</dt>
                  <dd className="mono small">{c.sha256}</dd>
                  <dt>Valid until</dt>
                  <dd>
                    <span className="mono">{c.notAfterText}</span>{" "}
                    <span
                      className={`chip ${c.expiresInDays < 0 ? "bad" : c.expiresInDays <= BANNER_DAYS ? "warn" : "ok"}`}
                    >
                      {c.expiresInDays < 0 ? "expired" : `${c.expiresInDays} days left`}
                    </span>
                  </dd>
                </dl>
                {manages && (
                  <div className={styles.certActions}>
                    <ActionForm
                      action={replaceCertificateAction}
                      submit="Replace"
                      submitClass="secondary small"
                      className="inline"
                    >
                      <input type="hidden" name="slug" value={inst.slug} />
                      <input type="hidden" name="sha256" value={c.sha256} />
                      <label>
                        Replace with (PEM or DER)
                        <input type="file" name="certificate" required />
                      </label>
                    </ActionForm>
                    <ActionForm
                      action={removeCertificateAction}
                      submit="Remove"
                      submitClass="danger small"
                      className="inline"
                      confirm={`Stop trusting ${c.subject}? Packages it vouches for will be quarantined.`}
                    >
                      <input type="hidden" name="slug" value={inst.slug} />
                      <input type="hidden" name="sha256" value={c.sha256} />
                    </ActionForm>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
        {manages && (
          <>
            <h3 className={styles.addHead}>Add a certificate</h3>
            <ActionForm action={trustCertificateAction} submit="Trust this certificate">
              <input type="hidden" name="slug" value={inst.slug} />
              <label>
                Certificate (X.509, PEM or DER, e.g. c-works.softwareupdate.pub.cer)
                <input type="file" name="certificate" required />
              </label>
            </ActionForm>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="pgp-head">
        <h2 id="pgp-head">Vendor OpenPGP keys</h2>
        {inst.pgpKeys.length === 0 ? (
          <p className="small muted">None: OpenPGP signed packages are quarantined.</p>
        ) : (
          <ul className={styles.certs}>
            {inst.pgpKeys.map((k) => (
              <li key={k.fingerprint} className={styles.cert}>
                <div className={`fingerprint ${styles.wrap}`}>
                  {formatFingerprint(k.fingerprint)}
                </div>
                <div className={`small muted ${styles.wrap}`}>{k.userIds.join(", ")}</div>
                {manages && (
                  <ActionForm
                    action={removePgpKeyAction}
                    submit="Remove"
                    submitClass="danger small"
                    className="inline"
                    confirm="Stop trusting this key?"
                  >
                    <input type="hidden" name="slug" value={inst.slug} />
                    <input type="hidden" name="fingerprint" value={k.fingerprint} />
                  </ActionForm>
                )}
              </li>
            ))}
          </ul>
        )}
        {manages && (
          <ActionForm action={trustPgpKeyAction} submit="Trust this key">
            <input type="hidden" name="slug" value={inst.slug} />
            <label>
              Vendor public key (armored or binary)
              <input type="file" name="pgpKey" required />
            </label>
          </ActionForm>
        )}
      </section>

      <section className="panel" aria-labelledby="settings-head">
        <h2 id="settings-head">Update mode and post-update event</h2>
        <p className="small muted">{MODE_HELP[modeValue(inst.mode)]}</p>
        {manages ? (
          <ActionForm action={updateInstallationAction} submit="Save settings">
            <input type="hidden" name="slug" value={inst.slug} />
            <div className="grid-2">
              <label>
                Update mode
                <select name="mode" defaultValue={modeValue(inst.mode)}>
                  <option value="automatic">automatic</option>
                  <option value="semi-automatic">semi-automatic</option>
                  <option value="manual">manual</option>
                </select>
              </label>
              <label className={styles.check}>
                <input type="checkbox" name="enterprise" defaultChecked={inst.enterprise} />
                <span>Enterprise</span>
              </label>
              <label>
                Post-update event URL (a webhook, HMAC-signed)
                <input
                  name="postUpdateUrl"
                  type="url"
                  defaultValue={inst.postUpdateUrl ?? ""}
                  placeholder="https://os4x.example.org/hooks/updated"
                />
              </label>
              <label>
                Environment variable holding its secret
                <input
                  name="postUpdateSecretEnv"
                  defaultValue={inst.postUpdateSecretEnv ?? ""}
                  placeholder="OS4X_POST_UPDATE_SECRET"
                  pattern="[A-Z_][A-Z0-9_]*"
                />
              </label>
            </div>
          </ActionForm>
        ) : (
          <p className="small">
            Post-update event:{" "}
            {inst.postUpdateUrl ? (
              <span className="mono">{inst.postUpdateUrl}</span>
            ) : (
              <span className="muted">none</span>
            )}
          </p>
        )}
      </section>

      {manages && (
        <section className="panel">
          <h2>Upload a package</h2>
          <PackageUploadForm slug={inst.slug} maxBytes={maxPackageBytes()} />
          <p className="small muted">
            Or over the API (<code>POST /api/v1/installations/{inst.slug}/packages</code>), or drop
            it into the worker&apos;s directory <code>UPDATE_INBOX_DIR/{inst.slug}/</code>.
          </p>
        </section>
      )}

      <section className="panel" aria-labelledby="packages-head">
        <h2 id="packages-head">Packages</h2>
        {packages.length === 0 ? (
          <p className="muted">No packages received yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="list">
              <thead>
                <tr>
                  <th>Package</th>
                  <th>State</th>
                  <th>Channel</th>
                  <th>Received</th>
                  <th>Signer</th>
                </tr>
              </thead>
              <tbody>
                {packages.map((p) => (
                  <tr key={p.id} data-testid={`package-${p.id}`}>
                    <td className={styles.wrap}>
                      <Link href={`/packages/${p.id}`} className="mono">
                        {p.fileName}
                      </Link>
                    </td>
                    <td>
                      <StateChip state={p.state} />
                    </td>
                    <td className="small">{CHANNEL_LABEL[p.channel] ?? p.channel}</td>
                    <td className="small">{formatDateTime(new Date(p.receivedAt))}</td>
                    <td className={`small ${styles.wrap}`}>
                      {p.signer?.subject ?? <span className="muted">unknown</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
