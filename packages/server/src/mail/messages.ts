import type { Mail } from './mailer.js';

// The mails Porter sends: plain text, short, each saying which Porter it comes from (the
// operator's public URL) and what to do when it was not expected.

function signed(publicUrl: string, lines: string[]): string {
  return [
    ...lines,
    '',
    `— Porter at ${publicUrl}`,
    'If you did not expect this mail, you can ignore it: nothing changes unless the link is opened.',
    '',
  ].join('\n');
}

/** The link that proves an address after sign-up. */
export function verifyEmailMail(publicUrl: string, to: { email: string; name: string }, link: string): Mail {
  return {
    to: to.email,
    subject: 'Confirm your e-mail address for Porter',
    text: signed(publicUrl, [
      `Hello ${to.name},`,
      '',
      `Confirm that ${to.email} is yours to finish signing up to Porter (${publicUrl}):`,
      '',
      link,
      '',
      'The link works once, for 24 hours.',
    ]),
  };
}

/** Someone signed up with an address that already has an account: tell its owner, not the form. */
export function alreadyRegisteredMail(publicUrl: string, email: string): Mail {
  return {
    to: email,
    subject: 'Someone tried to sign up to Porter with your address',
    text: signed(publicUrl, [
      `Someone (perhaps you) tried to sign up to Porter (${publicUrl}) with ${email},`,
      'but you already have an account.',
      '',
      `Sign in: ${publicUrl}/sign-in`,
      `Forgot your password? ${publicUrl}/password/forgot`,
    ]),
  };
}

/** The link that sets a new password. */
export function passwordResetMail(
  publicUrl: string,
  to: { email: string; name: string },
  link: string,
): Mail {
  return {
    to: to.email,
    subject: 'Reset your Porter password',
    text: signed(publicUrl, [
      `Hello ${to.name},`,
      '',
      `Someone (perhaps you) asked to reset the password of ${to.email} on Porter (${publicUrl}).`,
      'Choose a new password here:',
      '',
      link,
      '',
      'The link works once, for one hour. Setting a new password signs you out everywhere else.',
    ]),
  };
}

/** An invitation to join a company. */
export function invitationMail(
  publicUrl: string,
  invite: { email: string; companyName: string; inviterName: string; role: string },
  link: string,
): Mail {
  return {
    to: invite.email,
    subject: `${invite.inviterName} invited you to ${invite.companyName} on Porter`,
    text: signed(publicUrl, [
      `${invite.inviterName} invited you to join ${invite.companyName} as ${invite.role} on Porter (${publicUrl}).`,
      '',
      'Accept the invitation (you can create your account there if you have none):',
      '',
      link,
      '',
      'The link works once, for seven days.',
    ]),
  };
}
