/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emulated PFRU firmware for the fwact tests: an SSDT, compiled with iasl
 * and given to a QEMU guest with -acpitable, that describes the update
 * device (INTC1080) and the telemetry device (INTC1081) of the Intel MM OS
 * interface and implements their _DSM functions in AML. Its memory lives
 * in the range the guest kernel reserves with memmap=16M$0x30000000:
 *
 *   0x30000000  communication buffer, 16 KiB (capsules are written here)
 *   0x30200000  execution log ring, 4 KiB (every stage and activate)
 *   0x30300000  history log ring, 4 KiB (every successful activation)
 *
 * Staging parses the capsule in the communication buffer completely (EFI
 * and FMP capsule headers, FMP image header v1-v3, authentication header,
 * PFRU payload header), checks a test signature (a
 * WIN_CERTIFICATE_UEFI_GUID of type PKCS7 whose data is "FWACTSIG" and the
 * 32-bit sum of the payload taken as little-endian 32-bit words), the
 * platform GUID and the version rules, and returns the spec's
 * DSM_INVAL_INPUT with an extended status naming the reason (listed
 * below). A payload whose hw_ver is 0xFA17xxss makes the firmware fail on
 * demand with status ss: at stage, or at activate if bit 8 is set.
 * Activating makes the staged runtime version the running one (and the
 * SVN, for a driver update); any activation attempt uses up the staged
 * capsule. The update _DSM accepts revisions 1 and 2; revision 2 reports
 * an 8-byte OEM information block instead of a 4-byte one. Stage and
 * activate report their measured duration (ACPI Timer) in nanoseconds as
 * the authentication and execution times; Linux's Timer counts jiffies, so
 * each sleeps 11 ms (over a jiffy even at HZ=100) to be measurable. Each
 * log record is 64 bytes of text: a stage writes one at level info and
 * four more at level verbose; setting the log level restarts the telemetry
 * service (the reset count goes up, both logs are emptied). Until the
 * first update call the logs have no address, as on real firmware before
 * its first update. The log rings are touched only through
 * OperationRegions declared inside Serialized methods, so ACPICA drops its
 * write-back mapping of them after each call instead of keeping it for
 * good, which made every uncached mmap() of them fail (x86 PAT) with the
 * mainline driver. AML integers are 32 bits wide in QEMU guests (the DSDT
 * is revision 1), so every address is below 4 GiB and every 64-bit capsule
 * field is read as two halves.
 *
 * Extended status of DSM_INVAL_INPUT:
 *   1 capsule GUID   2 capsule sizes   3 FMP header or item offsets
 *   4 image header   5 image type      6 image sizes
 *   7 authentication header            8 test signature
 *   9 payload header 10 platform GUID  11 version older than running
 * DSM_FUNC_SPEC_ERR with extended status 1: activate with nothing staged.
 */
DefinitionBlock ("", "SSDT", 2, "FWACT", "PFRUEMU", 0x00000001)
{
    Scope (\_SB)
    {
        Device (PFRT)
        {
            Name (_HID, "INTC1081")
            Name (_UID, Zero)

            Method (_STA, 0, NotSerialized)
            {
                Return (0x0F)
            }

            Name (RSIZ, 0x1000)         /* size of each log ring */
            Name (TLVL, 0x02)           /* log level: info */
            Name (RSTC, One)            /* telemetry resets */
            Name (UPDN, Zero)           /* an update call has run */
            Name (LWP, Package (0x02) { Zero, Zero })   /* write offsets */
            Name (LROL, Package (0x02) { Zero, Zero })  /* rollovers */
            Name (LWRP, Package (0x02) { Zero, Zero })  /* wrapped */
            Name (LSEQ, Package (0x02) { Zero, Zero })  /* record numbers */
            Name (SPAC, "                                                               ")

            Method (RBAS, 1, NotSerialized)
            {
                If ((Arg0 == Zero))
                {
                    Return (0x30200000)
                }

                Return (0x30300000)
            }

            /*
             * Append one 64-byte record "seq=N <text>" (space padded,
             * newline terminated) to log Arg0 at level Arg1.
             */
            Method (LOGW, 3, Serialized)
            {
                If ((Arg1 > TLVL))
                {
                    Return (Zero)
                }

                Local0 = (DerefOf (LSEQ [Arg0]) + One)
                LSEQ [Arg0] = Local0
                /* Pad with spaces, cut to 63 characters (and the NUL). */
                Local1 = Concatenate (Concatenate (Concatenate (Concatenate (
                    "seq=", ToDecimalString (Local0)), " "), Arg2), SPAC)
                Local4 = ToBuffer (Mid (Local1, Zero, 0x3F))
                Local4 [0x3F] = 0x0A
                Local6 = DerefOf (LWP [Arg0])
                Local7 = (RBAS (Arg0) + Local6)
                OperationRegion (TRNG, SystemMemory, Local7, 0x40)
                Field (TRNG, ByteAcc, NoLock, Preserve)
                {
                    TREC,   512
                }

                TREC = Local4
                Local6 += 0x40
                If ((Local6 >= RSIZ))
                {
                    Local6 = Zero
                    LROL [Arg0] = (DerefOf (LROL [Arg0]) + One)
                    LWRP [Arg0] = One
                }

                LWP [Arg0] = Local6
                Return (Zero)
            }

            Method (GDAT, 1, Serialized)
            {
                Local0 = Package (0x0B)
                    {
                        Zero, Zero, Zero, Zero, Zero, Zero,
                        Zero, Zero, Zero, Zero, Zero
                    }
                If ((Arg0 > One))
                {
                    Local0 [Zero] = 0x02
                    Return (Local0)
                }

                Local0 [0x02] = RSIZ
                Local0 [0x09] = DerefOf (LROL [Arg0])
                Local0 [0x0A] = RSTC
                If ((UPDN == Zero))
                {
                    Return (Local0)
                }

                Local1 = RBAS (Arg0)
                Local2 = DerefOf (LWP [Arg0])
                If (DerefOf (LWRP [Arg0]))
                {
                    Local0 [0x03] = (Local1 + Local2)
                    Local0 [0x05] = (RSIZ - Local2)
                }

                Local0 [0x06] = Local1
                Local0 [0x08] = Local2
                Return (Local0)
            }

            Method (_DSM, 4, Serialized)
            {
                If ((Arg0 != ToUUID ("75191659-8178-4d9d-b88f-ac5e5e93e8bf")))
                {
                    Return (Buffer (One) { 0x00 })
                }

                If (((Arg1 != One) && (Arg1 != 0x02)))
                {
                    Return (Buffer (One) { 0x00 })
                }

                If ((Arg2 == Zero))
                {
                    Return (Buffer (One) { 0x0F })
                }

                If ((Arg2 == One))
                {
                    Local0 = DerefOf (Arg3 [Zero])
                    If (((Local0 > 0x04) || (Local0 == 0x03)))
                    {
                        Return (Package (0x02) { 0x02, Zero })
                    }

                    /* Setting the level restarts the telemetry service. */
                    TLVL = Local0
                    RSTC++
                    LWP = Package (0x02) { Zero, Zero }
                    LROL = Package (0x02) { Zero, Zero }
                    LWRP = Package (0x02) { Zero, Zero }
                    Return (Package (0x02) { Zero, Zero })
                }

                If ((Arg2 == 0x02))
                {
                    Local0 = Package (0x03) { Zero, Zero, Zero }
                    Local0 [0x02] = TLVL
                    Return (Local0)
                }

                If ((Arg2 == 0x03))
                {
                    Return (GDAT (DerefOf (Arg3 [Zero])))
                }

                Return (Package (0x02) { One, Zero })
            }
        }

        Device (PFRU)
        {
            Name (_HID, "INTC1080")
            Name (_UID, Zero)

            Method (_STA, 0, NotSerialized)
            {
                Return (0x0F)
            }

            OperationRegion (CBRG, SystemMemory, 0x30000000, 0x4000)
            Field (CBRG, AnyAcc, NoLock, Preserve)
            {
                CBUF,   131072
            }

            Name (CBSZ, 0x4000)
            Name (FWVR, One)            /* platform firmware version */
            Name (CRTV, One)            /* code injection runtime version */
            Name (DRTV, One)            /* driver runtime version */
            Name (DSVN, One)            /* driver SVN */
            Name (ACNT, Zero)           /* activations */
            Name (STGD, Zero)           /* staged type: 0 none, 1 code, 2 driver */
            Name (SRTV, Zero)           /* staged runtime version */
            Name (SSVN, Zero)           /* staged SVN */
            Name (SFLT, Zero)           /* status the staged capsule fails activate with */
            Name (CAPB, Buffer (0x4000) {})
            /* What the last parse found. */
            Name (ISIZ, Zero)
            Name (PTYP, Zero)
            Name (PHVR, Zero)
            Name (IMSZ, Zero)
            Name (AUTH, Zero)
            Name (CLEN, Zero)
            Name (PAYL, Zero)
            Name (PEND, Zero)
            Name (HSZ, Zero)
            Name (PHWV, Zero)
            Name (PRTV, Zero)
            Name (PSVN, Zero)

            Method (RD32, 1, Serialized)
            {
                CreateDWordField (CAPB, Arg0, DW)
                Return (DW)
            }

            Method (RD16, 1, Serialized)
            {
                CreateWordField (CAPB, Arg0, WD)
                Return (WD)
            }

            Method (TNAM, 1, NotSerialized)
            {
                If ((Arg0 == One))
                {
                    Return ("code")
                }

                If ((Arg0 == 0x02))
                {
                    Return ("driver")
                }

                Return ("none")
            }

            /* EFI and FMP capsule headers; returns the image header offset. */
            Method (PHDR, 0, Serialized)
            {
                If ((Mid (CAPB, Zero, 0x10) != ToUUID ("6dcbd5ed-e82d-4c44-bda1-7194199ad92a")))
                {
                    Return (Package (0x02) { One, Zero })
                }

                Local0 = RD32 (0x10)
                ISIZ = RD32 (0x18)
                If (((ISIZ > CBSZ) || (ISIZ < 0x1C)))
                {
                    Return (Package (0x02) { 0x02, Zero })
                }

                If (((Local0 < 0x1C) || (Local0 > (ISIZ - 0x08))))
                {
                    Return (Package (0x02) { 0x02, Zero })
                }

                If ((RD32 (Local0) != One))
                {
                    Return (Package (0x02) { 0x03, Zero })
                }

                Local1 = RD16 ((Local0 + 0x04))
                Local2 = RD16 ((Local0 + 0x06))
                Local3 = ((Local1 + Local2) * 0x08)
                If (((Local2 == Zero) || (Local3 > ((ISIZ - Local0) - 0x08))))
                {
                    Return (Package (0x02) { 0x03, Zero })
                }

                Local4 = ((Local0 + 0x08) + (Local1 * 0x08))
                Local5 = RD32 (Local4)
                If (((RD32 ((Local4 + 0x04)) != Zero) || (Local5 < (Local3 + 0x08))))
                {
                    Return (Package (0x02) { 0x03, Zero })
                }

                If ((Local5 >= (ISIZ - Local0)))
                {
                    Return (Package (0x02) { 0x03, Zero })
                }

                Local6 = Package (0x02) { Zero, Zero }
                Local6 [One] = (Local0 + Local5)
                Return (Local6)
            }

            /* FMP image header at Arg0; sets PTYP, PHVR, IMSZ, AUTH. */
            Method (PIMG, 1, Serialized)
            {
                If ((Arg0 > (ISIZ - 0x04)))
                {
                    Return (0x04)
                }

                PHVR = RD32 (Arg0)
                If ((PHVR == One))
                {
                    Local0 = 0x20
                }
                ElseIf ((PHVR == 0x02))
                {
                    Local0 = 0x28
                }
                ElseIf ((PHVR == 0x03))
                {
                    Local0 = 0x30
                }
                Else
                {
                    Return (0x04)
                }

                If ((Local0 > (ISIZ - Arg0)))
                {
                    Return (0x04)
                }

                Local1 = Mid (CAPB, (Arg0 + 0x04), 0x10)
                If ((Local1 == ToUUID ("b2f84b79-7b6e-4e45-885f-3fb9bb185402")))
                {
                    PTYP = One
                }
                ElseIf ((Local1 == ToUUID ("4569dd8c-75f1-429a-a3d6-24de8097a0df")))
                {
                    PTYP = 0x02
                }
                Else
                {
                    Return (0x05)
                }

                AUTH = (Arg0 + Local0)
                IMSZ = RD32 ((Arg0 + 0x18))
                Local2 = RD32 ((Arg0 + 0x1C))
                If ((IMSZ > (ISIZ - AUTH)))
                {
                    Return (0x06)
                }

                If ((Local2 > ((ISIZ - AUTH) - IMSZ)))
                {
                    Return (0x06)
                }

                Return (Zero)
            }

            /* Authentication header and test signature. */
            Method (PSIG, 0, Serialized)
            {
                If ((IMSZ < 0x20))
                {
                    Return (0x07)
                }

                CLEN = RD32 ((AUTH + 0x08))
                If (((CLEN < 0x24) || (CLEN > (IMSZ - 0x08))))
                {
                    Return (0x07)
                }

                If ((RD16 ((AUTH + 0x0E)) != 0x0EF1))
                {
                    Return (0x07)
                }

                If ((Mid (CAPB, (AUTH + 0x10), 0x10) != ToUUID ("4aafd29d-68df-49ee-8aa9-347d375665a7")))
                {
                    Return (0x07)
                }

                If ((Mid (CAPB, (AUTH + 0x20), 0x08) != Buffer (0x08)
                    {
                        0x46, 0x57, 0x41, 0x43, 0x54, 0x53, 0x49, 0x47
                    }))
                {
                    Return (0x08)
                }

                PAYL = ((AUTH + 0x08) + CLEN)
                PEND = (AUTH + IMSZ)
                /*
                 * The signature sums 32-bit little-endian words: a word costs
                 * what a byte does in the interpreter, and a byte at a time
                 * took seconds per image in the debug kernel. Words, not
                 * quadwords: QEMU's DSDT (revision 1) makes integers 32-bit.
                 */
                Local0 = Zero
                Local1 = PAYL
                While (((Local1 + 0x04) <= PEND))
                {
                    Local0 += ToInteger (Mid (CAPB, Local1, 0x04))
                    Local1 += 0x04
                }

                If ((Local1 < PEND))
                {
                    Local0 += ToInteger (Mid (CAPB, Local1, (PEND - Local1)))
                }

                If (((Local0 & 0xFFFFFFFF) != RD32 ((AUTH + 0x28))))
                {
                    Return (0x08)
                }

                Return (Zero)
            }

            /* PFRU payload header, platform and version rules. */
            Method (PPAY, 0, Serialized)
            {
                If (((PEND - PAYL) < 0x24))
                {
                    Return (0x09)
                }

                HSZ = RD32 ((PAYL + 0x08))
                If (((RD32 (PAYL) != 0x31494353) || (HSZ < 0x24)))
                {
                    Return (0x09)
                }

                If (((HSZ > (PEND - PAYL)) || ((PTYP == 0x02) && (HSZ < 0x28))))
                {
                    Return (0x09)
                }

                PHWV = RD32 ((PAYL + 0x0C))
                PRTV = RD32 ((PAYL + 0x10))
                PSVN = Zero
                If ((HSZ >= 0x28))
                {
                    PSVN = RD32 ((PAYL + 0x24))
                }

                If ((Mid (CAPB, (PAYL + 0x14), 0x10) != ToUUID ("8b0d7c2a-4c8e-4f3b-9d4e-0a1b2c3d4e5f")))
                {
                    Return (0x0A)
                }

                If (((PTYP == One) && (PRTV < CRTV)))
                {
                    Return (0x0B)
                }

                If (((PTYP == 0x02) && (PSVN < DSVN)))
                {
                    Return (0x0B)
                }

                Return (Zero)
            }

            /* Parse the capsule; returns the DSM_INVAL_INPUT extended status or 0. */
            Method (PARS, 0, Serialized)
            {
                CAPB = CBUF
                PTYP = Zero
                Local0 = PHDR ()
                Local1 = DerefOf (Local0 [Zero])
                If ((Local1 != Zero))
                {
                    Return (Local1)
                }

                Local1 = PIMG (DerefOf (Local0 [One]))
                If ((Local1 != Zero))
                {
                    Return (Local1)
                }

                Local1 = PSIG ()
                If ((Local1 != Zero))
                {
                    Return (Local1)
                }

                Return (PPAY ())
            }

            /* Stage: Package (2) {status, ext}. */
            Method (STAG, 0, Serialized)
            {
                Local0 = PARS ()
                Sleep (0x0B)
                Local1 = Package (0x02) { Zero, Zero }
                If ((Local0 != Zero))
                {
                    Local1 [Zero] = 0x02
                    Local1 [One] = Local0
                    \_SB.PFRT.LOGW (Zero, Zero, Concatenate ("stage rejected: reason ",
                        ToDecimalString (Local0)))
                    Return (Local1)
                }

                If (((PHWV & 0xFFFF0000) == 0xFA170000))
                {
                    If (((PHWV & 0x0100) == Zero))
                    {
                        Local1 [Zero] = (PHWV & 0xFF)
                        Local1 [One] = 0xFA17
                        \_SB.PFRT.LOGW (Zero, Zero, Concatenate ("stage failed on demand: status ",
                            ToDecimalString ((PHWV & 0xFF))))
                        Return (Local1)
                    }
                }

                STGD = PTYP
                SRTV = PRTV
                SSVN = PSVN
                SFLT = Zero
                If (((PHWV & 0xFFFF0100) == 0xFA170100))
                {
                    SFLT = (PHWV & 0xFF)
                }

                \_SB.PFRT.LOGW (Zero, 0x02, Concatenate (Concatenate (Concatenate (
                    "stage ok type=", TNAM (PTYP)), " rt="), ToDecimalString (PRTV)))
                /* Verbose: what the parse found, a record per check. */
                \_SB.PFRT.LOGW (Zero, 0x04, Concatenate (Concatenate (Concatenate (
                    "stage image header v", ToDecimalString (PHVR)), " svn="),
                    ToDecimalString (PSVN)))
                \_SB.PFRT.LOGW (Zero, 0x04, Concatenate (Concatenate (Concatenate (
                    "stage image ", ToDecimalString (IMSZ)), " bytes, payload "),
                    ToDecimalString ((PEND - PAYL))))
                \_SB.PFRT.LOGW (Zero, 0x04, Concatenate ("stage signature ok, hw version ",
                    ToHexString (PHWV)))
                \_SB.PFRT.LOGW (Zero, 0x04, Concatenate ("stage platform ok, rt version ",
                    ToDecimalString (PRTV)))
                Return (Local1)
            }

            /* Activate: Package (2) {status, ext}. */
            Method (ACTV, 0, Serialized)
            {
                Sleep (0x0B)
                Local1 = Package (0x02) { Zero, Zero }
                If ((STGD == Zero))
                {
                    Local1 [Zero] = 0x06
                    Local1 [One] = One
                    \_SB.PFRT.LOGW (Zero, Zero, "activate failed: nothing staged")
                    Return (Local1)
                }

                If ((SFLT != Zero))
                {
                    Local1 [Zero] = SFLT
                    Local1 [One] = 0xFA17
                    STGD = Zero
                    \_SB.PFRT.LOGW (Zero, Zero, Concatenate ("activate failed on demand: status ",
                        ToDecimalString (SFLT)))
                    Return (Local1)
                }

                If ((STGD == One))
                {
                    Local0 = CRTV
                    CRTV = SRTV
                    FWVR++
                }
                Else
                {
                    Local0 = DRTV
                    DRTV = SRTV
                    DSVN = SSVN
                }

                ACNT++
                Local2 = Concatenate (Concatenate (Concatenate (Concatenate (
                    TNAM (STGD), " "), ToDecimalString (Local0)), " -> "),
                    ToDecimalString (SRTV))
                \_SB.PFRT.LOGW (Zero, 0x02, Concatenate ("activate ok ", Local2))
                \_SB.PFRT.LOGW (One, 0x02, Concatenate (Concatenate (Concatenate (
                    "activation ", ToDecimalString (ACNT)), ": "), Local2))
                STGD = Zero
                Return (Local1)
            }

            /* Start (function 3): Arg0 = action. */
            Method (STRT, 1, Serialized)
            {
                Local0 = Package (0x06) { Zero, Zero, Zero, Zero, Zero, Zero }
                \_SB.PFRT.UPDN = One
                If ((Arg0 > 0x02))
                {
                    Local0 [Zero] = 0x02
                    Return (Local0)
                }

                Local2 = Package (0x02) { Zero, Zero }
                If ((Arg0 != One))
                {
                    Local1 = Timer
                    Local2 = STAG ()
                    Local0 [0x02] = (((Timer - Local1) & 0xFFFFFFFF) * 0x64)
                }

                If (((Arg0 != Zero) && (DerefOf (Local2 [Zero]) == Zero)))
                {
                    Local1 = Timer
                    Local2 = ACTV ()
                    Local0 [0x04] = (((Timer - Local1) & 0xFFFFFFFF) * 0x64)
                }

                Local0 [Zero] = DerefOf (Local2 [Zero])
                Local0 [One] = DerefOf (Local2 [One])
                Return (Local0)
            }

            Method (QCAP, 1, Serialized)
            {
                Local0 = Package (0x0B)
                    {
                        Zero, 0x03, Zero, Zero, Zero, Zero,
                        Zero, Zero, Zero, Zero, Zero
                    }
                Local0 [0x02] = ToUUID ("b2f84b79-7b6e-4e45-885f-3fb9bb185402")
                Local0 [0x03] = FWVR
                Local0 [0x04] = CRTV
                Local0 [0x05] = ToUUID ("4569dd8c-75f1-429a-a3d6-24de8097a0df")
                Local0 [0x06] = DRTV
                Local0 [0x07] = DSVN
                Local0 [0x08] = ToUUID ("8b0d7c2a-4c8e-4f3b-9d4e-0a1b2c3d4e5f")
                Local0 [0x09] = ToUUID ("f00dcafe-0001-4000-8000-46574143540a")
                /* Revision 2 reports a longer OEM information block. */
                If ((Arg0 == 0x02))
                {
                    Local0 [0x0A] = Buffer (0x08)
                        {
                            0x46, 0x57, 0x41, 0x43, 0x54, 0x00, 0x02, 0x00
                        }
                }
                Else
                {
                    Local0 [0x0A] = Buffer (0x04)
                        {
                            0x46, 0x57, 0x41, 0x01
                        }
                }

                Return (Local0)
            }

            Method (_DSM, 4, Serialized)
            {
                If ((Arg0 != ToUUID ("ecf9533b-4a3c-4e89-939e-c77112601c6d")))
                {
                    Return (Buffer (One) { 0x00 })
                }

                If (((Arg1 != One) && (Arg1 != 0x02)))
                {
                    Return (Buffer (One) { 0x00 })
                }

                If ((Arg2 == Zero))
                {
                    Return (Buffer (One) { 0x0F })
                }

                If ((Arg2 == One))
                {
                    Return (QCAP (Arg1))
                }

                If ((Arg2 == 0x02))
                {
                    Local0 = Package (0x05) { Zero, Zero, Zero, Zero, Zero }
                    Local0 [0x02] = 0x30000000
                    Local0 [0x04] = CBSZ
                    Return (Local0)
                }

                If ((Arg2 == 0x03))
                {
                    Return (STRT (DerefOf (Arg3 [Zero])))
                }

                Return (Package (0x02) { One, Zero })
            }
        }
    }
}
