"use client";

/**
 * A passphrase input, never remembered by the browser's password manager
 * (a key's passphrase is not the portal password). `fresh` is for a
 * passphrase being chosen, which password managers may offer to generate.
 */
export function PassphraseField({
  label,
  value,
  onChange,
  fresh = false,
}: {
  label: React.ReactNode;
  value: string;
  onChange: (value: string) => void;
  fresh?: boolean;
}) {
  return (
    <label>
      {label}
      <input
        type="password"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete={fresh ? "new-password" : "off"}
      />
    </label>
  );
}
