import styles from "./updates.module.css";

type TCert = { subject: string; sha256: string; notAfterText: string; expiresInDays: number };

/** U3: a trusted certificate that ends within 90 days (or has ended), and what to do about it. */
export function ExpiryBanner({ certificates }: { certificates: TCert[] }) {
  if (certificates.length === 0) return null;
  const first = [...certificates].sort((a, b) => a.expiresInDays - b.expiresInDays)[0];
  const expired = first.expiresInDays < 0;
  return (
    <div
      className={`${styles.banner} ${expired ? styles.expired : ""}`}
      role="alert"
      data-testid="expiry-banner"
    >
      <div className={styles.bannerIcon} aria-hidden>
        !
      </div>
      <div className={styles.wrap}>
        <h2>
          {expired
            ? "A trusted certificate has expired"
            : `A trusted certificate ends in ${first.expiresInDays} ${first.expiresInDays === 1 ? "day" : "days"}`}
        </h2>
        <p>
          <b>{first.subject}</b> is valid until <span className="mono">{first.notAfterText}</span>
          {certificates.length > 1 && ` (and ${certificates.length - 1} more end within 90 days)`}.
        </p>
        <p>
          {expired
            ? "Packages fail verification now."
            : "From that moment packages fail verification."}{" "}
          Get the vendor&apos;s current certificate (for OS4X:{" "}
          <span className="mono">c-works.softwareupdate.pub.cer</span>) and replace this one under
          Trusted certificates below; then re-verify any quarantined package.
        </p>
      </div>
    </div>
  );
}
