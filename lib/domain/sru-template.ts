// The seed's SRU template (ubuntu-sru-certbot.txt, "SRU Template"): the demo's
// default template. The seed's copy lost the "[Impact]" heading that
// Launchpad's SRU template has before "Not directly applicable"; it is back.
export const CERTBOT_SRU_TEMPLATE = {
  slug: "certbot-sru",
  name: "Certbot family SRU",
  body: `This bug tracks an update for the Certbot family of packages, version TODO.

This update includes [TODO: remove one] bugfixes only/new features following the SRU policy exception defined at https://wiki.ubuntu.com/StableReleaseUpdates/Certbot.

[Impact]

Not directly applicable; see the exception policy document at https://wiki.ubuntu.com/StableReleaseUpdates/Certbot

TODO: explain why we need this particular update

[Major Changes]

TODO: explain what changes users receiving the SRU will experience. In the case of a backport, this should summarize all changes from the version currently available in the stable releases to the uploads being proposed.

[Test Plan]

See https://wiki.ubuntu.com/StableReleaseUpdates/Certbot#SRU_Verification_Process

[Regression Potential]

Upstream performs extensive testing before release, giving us a high degree of confidence in the general case. There problems are most likely to manifest in Ubuntu-specific integrations, such as in relation to the versions of dependencies available and other packaging-specific matters.

TODO: consider any other regression potential specific to the version being updated.`,
};
