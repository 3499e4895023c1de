import { expect } from 'chai';
import { MAX_IOPS_PER_GIB, validateEbsParameters, type Finding } from '../../../src/storage/ebs.js';

const fails = (findings: Finding[]): string[] => findings.filter((f) => f.severity === 'fail').map((f) => f.message);
const warns = (findings: Finding[]): string[] => findings.filter((f) => f.severity === 'warn').map((f) => f.message);

describe('storage: EBS StorageClass parameters', () => {
  for (const provisioner of ['ebs.csi.aws.com', 'kubernetes.io/aws-ebs']) {
    describe(provisioner, () => {
      for (const type of ['gp2', 'gp3', 'st1', 'sc1']) {
        it(`GIVEN type ${type} WHEN validated THEN nothing fails`, () => {
          expect(fails(validateEbsParameters(provisioner, { type }))).to.deep.equal([]);
        });
      }

      it('GIVEN type standard or a made-up type THEN it fails naming the accepted types', () => {
        for (const type of ['standard', 'gp4', '']) {
          const [message] = fails(validateEbsParameters(provisioner, { type }));
          expect(message).to.equal(`type "${type}" is not an EBS volume type: use one of gp2, gp3, io1, io2, st1, sc1`);
        }
      });

      it('GIVEN an upper-case type THEN it is accepted with a warning', () => {
        const findings = validateEbsParameters(provisioner, { type: 'GP3' });
        expect(fails(findings)).to.deep.equal([]);
        expect(warns(findings)).to.deep.equal(['type "GP3" should be written in lower case ("gp3") as AWS names it']);
      });

      it('GIVEN no type THEN it is reported as the driver default, not a failure', () => {
        const findings = validateEbsParameters(provisioner, {});
        expect(fails(findings)).to.deep.equal([]);
        expect(findings[0]?.message).to.equal(`type is not set: ${provisioner} creates ${provisioner === 'ebs.csi.aws.com' ? 'gp3' : 'gp2'} volumes`);
      });
    });
  }

  describe('iopsPerGB', () => {
    it('GIVEN io1 or io2 without iopsPerGB or iops THEN it fails naming the ratio ceiling', () => {
      expect(fails(validateEbsParameters('ebs.csi.aws.com', { type: 'io1' }))).to.deep.equal(['type io1 needs iopsPerGB (provisioned IOPS per GiB, a quoted string such as "10", at most 50)']);
      expect(fails(validateEbsParameters('ebs.csi.aws.com', { type: 'io2' }))).to.deep.equal(['type io2 needs iopsPerGB (provisioned IOPS per GiB, a quoted string such as "10", at most 1000)']);
    });

    it('GIVEN io2 with a fixed iops instead (CSI driver) THEN it passes with a note', () => {
      const findings = validateEbsParameters('ebs.csi.aws.com', { type: 'io2', iops: '3000' });
      expect(fails(findings)).to.deep.equal([]);
      expect(findings.map((f) => f.message)).to.deep.equal(['type io2 sets a fixed iops "3000" instead of iopsPerGB']);
    });

    it('GIVEN iopsPerGB as a YAML number THEN it fails asking for a quoted string', () => {
      expect(fails(validateEbsParameters('kubernetes.io/aws-ebs', { type: 'io1', iopsPerGB: 10 }))).to.deep.equal(['iopsPerGB must be a quoted string (e.g. iopsPerGB: "10"), got the number 10']);
    });

    it('GIVEN a ratio at the ceiling THEN it passes; one above THEN it fails', () => {
      for (const [type, max] of Object.entries(MAX_IOPS_PER_GIB)) {
        expect(fails(validateEbsParameters('ebs.csi.aws.com', { type, iopsPerGB: String(max) })), `${type} at ${max}`).to.deep.equal([]);
        expect(fails(validateEbsParameters('ebs.csi.aws.com', { type, iopsPerGB: String(max + 1) })), `${type} at ${max + 1}`).to.deep.equal([
          `iopsPerGB "${max + 1}" exceeds the ${type} maximum of ${max} IOPS per GiB: volumes of this class cannot get the IOPS it asks for`,
        ]);
      }
    });

    it('GIVEN the documented ceilings THEN io1 is 50, io2 1000 (Block Express) and gp3 500', () => {
      expect(MAX_IOPS_PER_GIB).to.deep.equal({ io1: 50, io2: 1000, gp3: 500 });
    });

    it('GIVEN iopsPerGB that is not a positive whole number THEN it fails', () => {
      for (const value of ['0', '-5', '10.5', 'ten', '']) {
        expect(fails(validateEbsParameters('ebs.csi.aws.com', { type: 'io1', iopsPerGB: value })), value).to.deep.equal([`iopsPerGB "${value}" is not a positive whole number of IOPS per GiB`]);
      }
    });

    it('GIVEN iopsPerGB on a type without provisioned IOPS THEN it warns that it has no effect', () => {
      const findings = validateEbsParameters('ebs.csi.aws.com', { type: 'st1', iopsPerGB: '10' });
      expect(fails(findings)).to.deep.equal([]);
      expect(warns(findings)).to.deep.equal(['iopsPerGB "10" has no effect on type st1 (only io1, io2 and gp3 take provisioned IOPS)']);
    });

    it('GIVEN keys in another case THEN they are read like the driver reads them (case-insensitively)', () => {
      expect(fails(validateEbsParameters('ebs.csi.aws.com', { Type: 'io1', IOPSPERGB: '60' }))).to.deep.equal([
        'iopsPerGB "60" exceeds the io1 maximum of 50 IOPS per GiB: volumes of this class cannot get the IOPS it asks for',
      ]);
    });

    it('GIVEN the same key twice in different case THEN it fails as ambiguous', () => {
      const [message] = fails(validateEbsParameters('ebs.csi.aws.com', { type: 'gp3', TYPE: 'io1' }));
      expect(message).to.match(/^parameter type is given 2 times with different spelling \(type, TYPE\)/);
    });
  });
});
