import QRCode from 'qrcode';

export const ADMIN_PAGE = '/admin/whatsapp-web';

/**
 * Prints the login QR code for whoever started the server, straight to the terminal rather than through the logger:
 * it is a picture for a person, not a log record (and JSON logs would make it unreadable).
 */
export async function printQr(qr: string, clientId: string, output: NodeJS.WritableStream): Promise<void> {
  const art = await QRCode.toString(qr, { type: 'terminal', small: true });
  output.write(
    `\n${art}\nWhatsApp Web (${clientId}): on the phone, open WhatsApp › Settings › Linked devices › Link a device and scan this code (also shown to admins at ${ADMIN_PAGE}).\n\n`,
  );
}
