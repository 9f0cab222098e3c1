"""edXML (QCVN 102:2016/BTTTT): the typed structure of packages and status messages (``types``), their
building and XML-DSig signing (``build``, ``sign``), their defused parsing and lenient verification
(``parse``, ``unpack`` — the attachments' safe decoding —, ``verify``), the refusal and notice messages
(``messages``), agency codes (``codes``) and the schema every built package is checked against
(``schema/edxml.xsd``)."""
