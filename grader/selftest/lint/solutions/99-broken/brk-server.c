/* brk-server.c - a program of the lint's fixture lesson (not a solution of
 * anything: the lint only checks that the file is there). */
int main(void)
{
    return 0;
}
