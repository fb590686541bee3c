package dev.tokenwise.bench;

/** The outbound HTTP client of a variant: one blocking POST of a JSON body, whole answer read. */
interface Upstream extends AutoCloseable {

    /** Status and body of one upstream call. */
    record Answer(int status, byte[] body) {
    }

    Answer post(byte[] json, String authorization) throws Exception;

    @Override
    void close();
}
