// `npm run demo`: until the sync engine lands, say what the demo will show and what works today.
console.log(`cosell-connector demo

Coming with the sync engine: the sandboxes start with realistic data, sync cycles run against
Salesforce and Dynamics 365, seller and Microsoft actions play in between, and this command prints
what moved where, what was refused and why.

Available today: the canonical model, Partner Center's rules (docs/rules.md) and the Entra ID sandbox.
Run \`npm test\` to see every rule checked.`);
