/**
 * A local AWS emulator (KMS + IAM + STS on one 127.0.0.1 port) for labs and tests of the auto-unseal setup.
 *
 * <p>Start it in-process with {@link io.vaultcfg.aws.emulator.AwsEmulator#start} or standalone with
 * {@code vaultcfg aws-emulator --port 4566 [--state FILE]}. Clients need no changes beyond an endpoint override.
 *
 * <p>Where things happen:
 * <ul>
 *   <li>{@code http} - listener, routing by {@code X-Amz-Target} / {@code Action}+{@code Version}, awsJson and
 *       awsQuery rendering, request parameters;</li>
 *   <li>{@code auth} - SigV4 verification, who the caller is, whether the caller may act;</li>
 *   <li>{@code policy} - policy grammar and IAM's evaluation rules;</li>
 *   <li>{@code kms}, {@code iam}, {@code sts} - the operations;</li>
 *   <li>{@code state} - entities, the optional JSON state file.</li>
 * </ul>
 *
 * <p>Deliberate simplifications: symmetric keys only; no automatic rotation of key material; keys are found by
 * id whatever region an ARN names; a small set of condition operators (unsupported ones never grant); no groups.
 */
package io.vaultcfg.aws.emulator;
