import { TextField } from "./fields";

/** How the program's e-mails look and whom they name (program.branding); see them on the Preview page. */
export function BrandingSection() {
  return (
    <section className="card" aria-labelledby="program-branding">
      <h2 id="program-branding">E-mail branding</h2>
      <div className="grid">
        <TextField name="branding.displayName" label="Brand name" hint="Empty: the program name" />
        <TextField
          name="branding.logoUrl"
          label="Logo URL"
          optional
          hint="https; about 320 px wide. Empty: the brand name as text"
        />
        <TextField
          name="branding.primaryColor"
          label="Primary colour"
          hint="#rrggbb: button, code, accents"
        />
        <TextField
          name="branding.backgroundColor"
          label="Background colour"
          hint="#rrggbb: around the e-mail"
        />
        <TextField
          name="branding.postalAddress"
          label="Postal address"
          hint="Shown in every e-mail's footer; US law (CAN-SPAM) requires it"
        />
        <TextField
          name="branding.supportContact"
          label="Support contact"
          optional
          hint="An e-mail address or an https URL"
        />
        <TextField
          name="branding.shopUrl"
          label="Shop URL"
          optional
          hint="https; the e-mail's button opens it. Empty: no button"
        />
      </div>
    </section>
  );
}
