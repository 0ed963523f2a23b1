/**
 * Microsoft's documented Partner Center requests, shared by the sandbox tests.
 */
/** The private-deal sample of "Create a referral" (learn.microsoft.com), as published, e-mails filled in (the page blanks them). */
export const DOCUMENTED_PRIVATE_DEAL = {
  name: 'Contoso Test Deal - [Private]',
  qualification: 'SalesQualified',
  type: 'Independent',
  customerProfile: {
    name: 'Contoso Customer Inc',
    address: { addressLine1: 'One Microsoft Way', addressLine2: '34', city: 'Redmond', state: 'WA', postalCode: '98052', country: 'US' },
    size: '10to50employees',
    team: [{ firstName: 'Sue', lastName: 'Smith', phoneNumber: '1234567890', email: 'sue@contoso-customer.example' }],
  },
  consent: { ConsentToToShareInfoWithOthers: true, ConsentToContact: true, ConsentToMicrosoftToContactSpecificPartners: true, consentToShareReferralWithMicrosoftSellers: false },
  details: {
    notes: 'Customer is looking to leverage Dynamics 365 to manage their supply chain.',
    dealValue: 50000,
    currency: 'USD',
    closingDateTime: '2024-11-14T00:00:00Z',
    requirements: {
      solutions: [{ type: 'Name', id: 'SOL-15974-MQF', name: 'Contoso-Ale_Test', publisherName: 'Contoso_Test', solutionType: '3P' }],
      additionalRequirements: { iot: {}, attributes: [{ id: 'HaveNotDecided', type: 'CustomerMarketplaceIntent' }] },
    },
  },
  team: [{ firstName: 'John', lastName: 'Doe', phoneNumber: '1231231234', email: 'john@contoso-partner.example' }],
  target: [],
};
